#!/usr/bin/env bash
# Job chaining (issue 5, Ground Truth's chained jobs): Fashion-MNIST's first N training images
# split in two halves; the first half is labeled by a simulated job, then the second half twice,
# once from scratch and once starting from the first half's model (`simulate --warm-start`).
# Prints human labels, machine share and machine accuracy of each run.
#
#   bench/chaining.sh [--images N] [--work DIR] [--policy fieldmark|groundtruth]
set -euo pipefail
cd "$(dirname "$0")/.."
images=4000
work="${FIELDMARK_BENCH_DIR:-/tmp/fieldmark-chaining}"
policy=fieldmark
while [ $# -gt 0 ]; do
    case "$1" in
        --images) images="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --policy) policy="$2"; shift 2 ;;
        *) echo "chaining.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
cli="$PWD/build/app/fieldmark-cli"
[ -x "$cli" ] || { echo "chaining.sh: build fieldmark-cli first (scripts/build.sh)" >&2; exit 2; }
[ -d /usr/share/datasets/fashion-mnist ] ||
    { echo "chaining.sh: install dataset-fashion-mnist (apt-get)" >&2; exit 2; }
mkdir -p "$work"

python3 - "$work" "$images" <<'PY'
import gzip, os, struct, sys, zlib
work, count = sys.argv[1], int(sys.argv[2])
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
src = "/usr/share/datasets/fashion-mnist"
images = labels = None
for half, (start, end) in (("first", (0, count // 2)), ("second", (count // 2, count))):
    out = os.path.join(work, "%s-%d" % (half, count))
    if os.path.exists(os.path.join(out, "oracle.csv")):
        continue
    if images is None:
        images = gzip.open(os.path.join(src, "train-images-idx3-ubyte.gz")).read()
        labels = gzip.open(os.path.join(src, "train-labels-idx1-ubyte.gz")).read()
    rows, cols = struct.unpack(">II", images[8:16])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "oracle.csv"), "w") as oracle:
        oracle.write("item,label\n")
        for i in range(start, end):
            name = "img%05d.png" % i
            png(os.path.join(out, name), cols, rows,
                images[16 + i * rows * cols:16 + (i + 1) * rows * cols])
            oracle.write("%s,%s\n" % (name, names[labels[8 + i]]))
PY

classes="t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot"
run() { # name half [--warm-start PROJECT]
    local name="$1" half="$2"; shift 2
    local project="$work/projects/$name"
    rm -rf "$project"
    "$cli" init "$project" --type image-class --classes "$classes" >/dev/null
    "$cli" import "$project" "$work/$half-$images" >/dev/null || true
    echo "== $name" >&2
    "$cli" simulate "$project" --oracle "$work/$half-$images/oracle.csv" --oracle-format csv \
        --policy "$policy" --name "$name" --report "$work/report-$name.json" "$@" 2>/dev/null
}
mkdir -p "$work/projects"
run first first
run second-cold second
run second-warm second --warm-start "$work/projects/first"

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
print("\n%-12s %7s %7s %8s %8s %6s %8s" % ("run", "items", "human", "share", "accuracy",
      "iters", "total s"))
for name in ("first", "second-cold", "second-warm"):
    r = json.load(open(os.path.join(work, "report-%s.json" % name)))
    print("%-12s %7d %7d %8.3f %8.4f %6d %8.1f" % (name, r["items"], r["humanLabels"],
          r["machineShare"], r["machineAccuracy"], len(r["iterations"]), r["seconds"]))
PY
