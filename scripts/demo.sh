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

set -x
"$cli" --version
"$cli" init "$work/photos" --type boxes --classes person,bicycle,car --task objects || true
"$cli" import "$work/photos" "$images" || true
"$cli" status "$work/photos"
"$cli" init "$work/reviews" --type text-class --classes positive,negative || true
"$cli" import "$work/reviews" "$texts" || true
"$cli" classes "$work/reviews" add neutral
"$cli" classes "$work/reviews" rename negative critical
"$cli" classes "$work/reviews" list
"$cli" status "$work/reviews" --json
