#!/usr/bin/env bash
# Command-line demo: a project over a folder of generated images (with a broken file and a
# copy, as real folders have) and a JSONL of texts, then its status and classes.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/app/fieldmark-cli
work="${1:-$(mktemp -d /tmp/fieldmark-demo.XXXXXX)}"
mkdir -p "$work"
echo "== demo folder: $work"

images="$work/images"
if [ ! -d "$images" ]; then
    mkdir -p "$images"
    python3 - "$images" <<'PY'
import sys, zlib, struct, os, random
out = sys.argv[1]
def png(path, w, h, seed):
    rnd = random.Random(seed)
    raw = b"".join(b"\0" + bytes(rnd.randrange(256) for _ in range(w * 3)) for _ in range(h))
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)
for i in range(200):
    png(os.path.join(out, f"img{i:04d}.png"), 32, 24, i)
PY
    # What a real folder holds too: a broken file and a copy.
    head -c 300 "$(ls "$images"/* | head -n 1)" > "$images/broken.png"
    cp "$(ls "$images"/* | head -n 2 | tail -n 1)" "$images/copy-of-second.png"
fi

texts="$work/reviews.jsonl"
cat > "$texts" <<'JSONL'
{"text": "The battery lasts two days and the screen is sharp.", "id": 1}
{"text": "Stopped working after a week; support never answered.", "id": 2}
{"text": "Does what it says, nothing more.", "id": 3}
{"text": "broken line
{"source": "Arrived early, well packed, works perfectly.", "id": 4}
JSONL

# Labels made elsewhere, as a COCO file beside the images (boxes on the first 20 images, one
# of them reaching past its image, and a class the task lacks).
python3 - "$images" <<'PY'
import json, os, sys
out = sys.argv[1]
images, annotations = [], []
for i in range(20):
    images.append({"id": i + 1, "file_name": f"img{i:04d}.png", "width": 32, "height": 24})
    annotations.append({"id": 2 * i + 1, "image_id": i + 1, "category_id": 1 + i % 3,
                        "bbox": [2, 3, 12, 9]})
    annotations.append({"id": 2 * i + 2, "image_id": i + 1, "category_id": 4,
                        "bbox": [16, 4, 10, 12]})
annotations[5]["bbox"] = [25, 20, 30, 30]
categories = [{"id": 1, "name": "person"}, {"id": 2, "name": "bicycle"},
              {"id": 3, "name": "car"}, {"id": 4, "name": "dog"}]
json.dump({"images": images, "annotations": annotations, "categories": categories},
          open(os.path.join(out, "labels.json"), "w"))
PY
labeled="$work/labeled.jsonl"
cat > "$labeled" <<'JSONL'
{"text": "Great value, I would buy it again.", "label": "positive"}
{"text": "The lid cracked on the first day.", "label": "negative"}
JSONL

# An auto-labeling run: 600 short texts on three topics, their true labels in an oracle file.
# The simulated annotator labels what the job asks for; the text learner labels the rest.
python3 - "$work/topics.jsonl" <<'PY'
import json, random, sys
rnd = random.Random(3)
words = {"sport": "match goal team coach league score season player".split(),
         "science": "atom cell theory experiment energy physics lab data".split(),
         "music": "album song band guitar concert melody chorus tour".split()}
filler = "the a today new about report after this we they".split()
with open(sys.argv[1], "w") as f:
    for i in range(600):
        topic = list(words)[i % 3]
        text = [rnd.choice(words[topic]) for _ in range(3)] + \
               [rnd.choice(words[rnd.choice(list(words))])] + [rnd.choice(filler) for _ in range(5)]
        rnd.shuffle(text)
        f.write(json.dumps({"text": " ".join(text) + " #%d" % i, "label": topic}) + "\n")
PY

set -x
"$cli" --version
"$cli" init "$work/photos" --type boxes --classes person,bicycle,car --task objects || true
"$cli" import "$work/photos" "$images" || true
"$cli" status "$work/photos"
# A training format's labels into the task: planned first, problems named by file and JSON
# path; nothing is written until the valid part is chosen, and the unknown class is added.
"$cli" import "$work/photos" "$images/labels.json" --format coco || true
"$cli" import "$work/photos" "$images/labels.json" --format coco --valid-part --add-classes || true
"$cli" export "$work/photos" --format yolo --output "$work/yolo" --labels all --val 0.2 --seed 1 \
    --media link
"$cli" export "$work/photos" --format voc --output "$work/voc" || true
"$cli" init "$work/reviews" --type text-class --classes positive,negative || true
"$cli" import "$work/reviews" "$texts" || true
"$cli" classes "$work/reviews" add neutral
"$cli" classes "$work/reviews" rename negative critical
"$cli" classes "$work/reviews" list
"$cli" import "$work/reviews" "$labeled" --format jsonl --task default || true
"$cli" export "$work/reviews" --format csv --output "$work/reviews.csv" || true
"$cli" export "$work/reviews" --format csv --output "$work/reviews.csv" --accept-loss
head -n 3 "$work/reviews.csv"
"$cli" status "$work/reviews" --json
"$cli" init "$work/topics" --type text-class --classes sport,science,music || true
"$cli" import "$work/topics" "$work/topics.jsonl" >/dev/null || true
"$cli" simulate "$work/topics" --oracle "$work/topics.jsonl" --oracle-format jsonl \
    --policy fieldmark --report "$work/topics-report.json"
"$cli" job "$work/topics" status
"$cli" status "$work/topics"
