#!/usr/bin/env bash
# Regenerates the tiny media files the tests probe and scan (they are committed; run this
# only to change them). Everything comes from ffmpeg's synthetic lavfi sources: a 64x36
# test pattern at 5 fps and a sine tone, a few seconds long at tiny bitrates, so each
# file is a few KB and the whole folder stays well under 200 KB.
#
#   bars_3s.mp4         3 s, H.264 + AAC in MP4, no tags
#   tone_2s.mkv         2 s, MPEG-2 video + AC-3 in Matroska, no tags
#   with_chapters.mkv   4 s, H.264 + AAC in Matroska, title tag "Station ID" and three
#                       chapters (Open 0-1 s, Middle 1-3 s, Close 3-4 s) from ffmetadata
#   clip_title.mp4      2 s, H.264 + AAC in MP4, title tag "Saturday Promo"
#
# Usage: tests/media/make_media.sh   (needs ffmpeg with libx264)
set -euo pipefail
cd "$(dirname "$0")"

ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
video() { echo "testsrc=size=64x36:rate=5:duration=$1"; }
audio() { echo "sine=frequency=440:sample_rate=8000:duration=$1"; }
x264=(-c:v libx264 -preset veryslow -crf 45 -pix_fmt yuv420p -g 50 -bf 0)
aac=(-c:a aac -b:a 8k -ac 1)
# Bit-exact, repeatable output: no encoder version strings or creation times.
plain=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)

ff -f lavfi -i "$(video 3)" -f lavfi -i "$(audio 3)" "${x264[@]}" "${aac[@]}" \
  "${plain[@]}" -shortest bars_3s.mp4

ff -f lavfi -i "$(video 2)" -f lavfi -i "$(audio 2)" -c:v mpeg2video -b:v 16k -g 10 \
  -c:a ac3 -b:a 32k -ac 1 -ar 32000 "${plain[@]}" -shortest tone_2s.mkv

meta=$(mktemp)
trap 'rm -f "$meta"' EXIT
cat >"$meta" <<'META'
;FFMETADATA1
title=Station ID

[CHAPTER]
TIMEBASE=1/1000
START=0
END=1000
title=Open

[CHAPTER]
TIMEBASE=1/1000
START=1000
END=3000
title=Middle

[CHAPTER]
TIMEBASE=1/1000
START=3000
END=4000
title=Close
META
ff -f lavfi -i "$(video 4)" -f lavfi -i "$(audio 4)" -i "$meta" -map 0:v -map 1:a \
  -map_metadata 2 -map_chapters 2 "${x264[@]}" "${aac[@]}" -fflags +bitexact \
  -flags:v +bitexact -flags:a +bitexact -shortest with_chapters.mkv

ff -f lavfi -i "$(video 2)" -f lavfi -i "$(audio 2)" "${x264[@]}" "${aac[@]}" \
  "${plain[@]}" -metadata title="Saturday Promo" -shortest clip_title.mp4

ls -l bars_3s.mp4 tone_2s.mkv with_chapters.mkv clip_title.mp4
