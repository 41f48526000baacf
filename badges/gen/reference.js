#!/usr/bin/env node
// reference.js writes ../testdata/badge-maker.json: for each label/message
// pair below and each style, the widths that the npm package badge-maker
// gives its SVG (total width, label rect and message rect). The Go test
// TestWidthsMatchBadgeMaker checks our layout against it within ±1 px.
//
// Run it with the pinned packages installed outside the repository (see
// widths.js):  node badges/gen/reference.js
'use strict'

const fs = require('fs')
const os = require('os')
const path = require('path')

const dir =
  process.env.BADGE_NPM_DIR ||
  path.join(
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    'deai-scorecard',
    'npm-badge'
  )
const pkgDir = path.join(dir, 'node_modules', 'badge-maker')
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json')))

const stages = [
  'T · token only',
  'C · coordination only',
  'E · execution partly decentralized',
  'V · verifiable decentralized AI',
]
const levels = [
  '0 · centralized',
  '1 · permissioned',
  '2 · open but trusted',
  '3 · open and economically checked',
  '4 · open and verifiable',
  'unknown',
]
const axes = ['training', 'inference', 'data', 'upgrades', 'governance', 'verification', 'usage']

const pairs = []
for (const m of stages) pairs.push(['DeAI stage', m])
axes.forEach((a, i) => pairs.push([a, levels[i % levels.length]]))
for (const m of levels) pairs.push(['governance', m])
pairs.push(
  ['DeAI stage', 'not found'],
  ['DeAI', 'not found'],
  ['a<b>&"c\'', 'x & y'],
  ['build', '1234567890'],
  ['coverage', '99.9%'],
  ['iiiiiiiiii', 'WWWWWWWWWW'],
  ['mmm', '|||'],
  ['a label that is quite long indeed, forty', 'and a message that is a good deal longer than most'],
  ['unicode', 'naïve café — Zürich'],
  ['Ελληνικά', 'кириллица'],
  ['CJK', '去中心化人工智能'],
  ['emoji', 'ok ✓ ★'],
  ['tab\tchar', 'new line'],
  ['@#$%^*()', '[]{};:,./?'],
  ['x', 'y'],
  ['Straße', 'groß'],
  ['ΐ ΰ ŉ ǰ', 'ﬃ ﬀ ﬆ և'] // one character, several capitals (full case mapping)
)

async function main() {
  const { makeBadge } = await import(path.join(pkgDir, 'lib', 'index.js'))
  const rows = []
  for (const style of ['flat', 'flat-square', 'for-the-badge']) {
    for (const [label, message] of pairs) {
      const svg = makeBadge({ label, message, color: '#4b0', style })
      const num = (re) => {
        const m = svg.match(re)
        if (!m) throw Error(`no match for ${re} in ${svg}`)
        return Number(m[1])
      }
      rows.push({
        label,
        message,
        style,
        width: num(/^<svg[^>]* width="([\d.]+)"/),
        labelWidth: num(/<rect width="([\d.]+)" height="\d+" fill="#555"/),
        messageWidth: num(/<rect x="[\d.]+" width="([\d.]+)"/),
      })
    }
  }
  const out = {
    source: `${pkg.name}@${pkg.version} makeBadge({label, message, color: "#4b0", style}); widths read from the SVG: root width, label rect, message rect`,
    generator: 'badges/gen/reference.js',
    rows,
  }
  fs.writeFileSync(path.join(__dirname, '..', 'testdata', 'badge-maker.json'), JSON.stringify(out, null, 1) + '\n')
  console.log(`${rows.length} rows`)
}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})
