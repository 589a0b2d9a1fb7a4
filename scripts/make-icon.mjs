// Draws the app icon (build/icon.png, 512×512 RGBA) with no image library: shapes are tested per
// sub-sample (4×4 per pixel, for anti-aliasing) and the PNG is written with node:zlib.
// electron-builder derives the .icns and .ico from this file. Run: node scripts/make-icon.mjs [out]
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { deflateSync } from 'node:zlib'

const SIZE = 512
const SAMPLES = 4 // per axis

// ---- palette ---------------------------------------------------------------------------------
const hex = (value) => [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16) / 255)
const mix = (a, b, t) => a.map((channel, i) => channel + (b[i] - channel) * t)
const TILE_TOP = hex('#232a3b')
const TILE_BOTTOM = hex('#10141d')
const GRID = hex('#2f3850')
const BAR_LOW = hex('#1fa6a0')
const BAR_HIGH = hex('#5eead4')
const PULSE = hex('#f5f7fa')
const ACCENT = hex('#fbbf24')

// ---- geometry (in 512-px units) ----------------------------------------------------------------
const TILE = { x0: 48, y0: 48, x1: 464, y1: 464, r: 92 }
const CHART = { left: 118, right: 394, base: 372, top: 140 }
const BAR_HEIGHTS = [0.34, 0.58, 0.46, 0.78, 0.64]
const BAR_GAP = 14
const barWidth = (CHART.right - CHART.left - BAR_GAP * (BAR_HEIGHTS.length - 1)) / BAR_HEIGHTS.length
const bars = BAR_HEIGHTS.map((h, i) => {
  const x0 = CHART.left + i * (barWidth + BAR_GAP)
  return { x0, x1: x0 + barWidth, y0: CHART.base - h * (CHART.base - CHART.top), y1: CHART.base, r: 10 }
})
// The "p95" pulse line rides above the bars and ends in a bright dot: live latency.
const pulse = [
  [CHART.left - 6, 292],
  [bars[0].x1 - barWidth / 2, 262],
  [bars[1].x1 - barWidth / 2, 196],
  [bars[2].x1 - barWidth / 2, 226],
  [bars[3].x1 - barWidth / 2, 150],
  [bars[4].x1 - barWidth / 2, 176]
]
const PULSE_WIDTH = 9
const DOT = { x: pulse[4][0], y: pulse[4][1], r: 15 }

function inRoundedRect(x, y, rect) {
  const cx = Math.max(rect.x0 + rect.r, Math.min(x, rect.x1 - rect.r))
  const cy = Math.max(rect.y0 + rect.r, Math.min(y, rect.y1 - rect.r))
  return (
    x >= rect.x0 &&
    x <= rect.x1 &&
    y >= rect.y0 &&
    y <= rect.y1 &&
    (x - cx) ** 2 + (y - cy) ** 2 <= rect.r ** 2
  )
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax
  const dy = by - ay
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy))
}

/** The colour (RGBA, 0–1, straight alpha) at one sample point. */
function sample(x, y) {
  if (!inRoundedRect(x, y, TILE)) return [0, 0, 0, 0]
  let color = mix(TILE_TOP, TILE_BOTTOM, (y - TILE.y0) / (TILE.y1 - TILE.y0))
  // Faint grid lines behind the chart.
  for (const gy of [CHART.base, 290, 215, CHART.top]) {
    if (Math.abs(y - gy) <= 1.5 && x >= CHART.left - 12 && x <= CHART.right + 12)
      color = mix(color, GRID, 0.9)
  }
  for (const bar of bars) {
    if (inRoundedRect(x, y, { ...bar, y1: bar.y1 + bar.r })) {
      if (y <= CHART.base) color = mix(BAR_LOW, BAR_HIGH, (CHART.base - y) / (CHART.base - CHART.top))
    }
  }
  // A dark halo keeps the pulse line readable where it crosses a bar.
  let nearest = Infinity
  for (let i = 1; i < pulse.length; i++)
    nearest = Math.min(nearest, distanceToSegment(x, y, pulse[i - 1], pulse[i]))
  if (nearest <= PULSE_WIDTH / 2 + 5) color = mix(color, TILE_BOTTOM, 0.75)
  if (nearest <= PULSE_WIDTH / 2) color = PULSE
  const dot = Math.hypot(x - DOT.x, y - DOT.y)
  if (dot <= DOT.r + 5) color = mix(color, TILE_BOTTOM, 0.75)
  if (dot <= DOT.r) color = ACCENT
  return [...color, 1]
}

function render() {
  const pixels = Buffer.alloc(SIZE * SIZE * 4)
  const step = 1 / SAMPLES
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      // Average premultiplied colour over the sub-samples, then un-premultiply.
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [cr, cg, cb, ca] = sample(px + (sx + 0.5) * step, py + (sy + 0.5) * step)
          r += cr * ca
          g += cg * ca
          b += cb * ca
          a += ca
        }
      }
      const offset = (py * SIZE + px) * 4
      const n = SAMPLES * SAMPLES
      pixels[offset] = a === 0 ? 0 : Math.round((r / a) * 255)
      pixels[offset + 1] = a === 0 ? 0 : Math.round((g / a) * 255)
      pixels[offset + 2] = a === 0 ? 0 : Math.round((b / a) * 255)
      pixels[offset + 3] = Math.round((a / n) * 255)
    }
  }
  return pixels
}

// ---- PNG encoding (RFC 2083): signature, IHDR, IDAT, IEND --------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buffer) {
  let c = 0xffffffff
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // colour type: RGBA
  // compression, filter, interlace: 0
  const rows = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0 // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

const out = resolve(process.argv[2] ?? 'build/icon.png')
mkdirSync(dirname(out), { recursive: true })
const png = encodePng(SIZE, SIZE, render())
writeFileSync(out, png)
console.log(`make-icon: wrote ${out} (${SIZE}×${SIZE}, ${png.length} bytes)`)
