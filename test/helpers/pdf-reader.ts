import { inflateSync } from 'node:zlib';

/**
 * Just enough of a PDF reader for the PDFs the server renders (pdfmake on pdfkit): objects are plain (no object streams), text is
 * shown with `/Fn size Tf` and hex glyph strings in TJ arrays, and each Type0 font has a ToUnicode
 * CMap of bfranges. Returns the text of each page's content stream and the glyph ids drawn.
 */
export function readPdf(pdf: Buffer) {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream: string | null }>();
  const headerRe = /(\d+) 0 obj\s*/g;
  for (let m = headerRe.exec(raw); m; m = headerRe.exec(raw)) {
    const end = raw.indexOf('endobj', headerRe.lastIndex);
    const at = raw.indexOf('stream', headerRe.lastIndex);
    if (at < 0 || at > end) {
      objects.set(Number(m[1]), { dict: raw.slice(headerRe.lastIndex, end), stream: null });
      continue;
    }
    // Binary stream data may contain anything: skip it by its /Length.
    const dict = raw.slice(headerRe.lastIndex, at);
    let start = at + 'stream'.length;
    if (raw[start] === '\r') start++;
    if (raw[start] === '\n') start++;
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    let bytes = pdf.subarray(start, start + length);
    if (dict.includes('/FlateDecode')) bytes = inflateSync(bytes);
    objects.set(Number(m[1]), { dict, stream: bytes.toString('latin1') });
    headerRe.lastIndex = raw.indexOf('endobj', start + length);
  }
  const cmapOf = (fontObj: number) => {
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontObj)?.dict ?? '')?.[1];
    const cmap = new Map<number, string>();
    const text = objects.get(Number(toUnicode))?.stream ?? '';
    for (const r of text.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      const first = Number.parseInt(r[1] ?? '', 16);
      [...(r[3] ?? '').matchAll(/<([^>]*)>/g)].forEach((e, i) => {
        const units = (e[1] ?? '').split(' ').map((h) => Number.parseInt(h, 16));
        cmap.set(first + i, String.fromCharCode(...units));
      });
    }
    return cmap;
  };
  const pages: string[] = [];
  const glyphIds: number[] = [];
  for (const { dict } of objects.values()) {
    if (!/\/Type \/Page\b(?!s)/.test(dict)) continue;
    const fonts = new Map<string, Map<number, string>>();
    const resources = /\/Resources (\d+) 0 R/.exec(dict);
    const resourceDict = resources ? (objects.get(Number(resources[1]))?.dict ?? '') : dict;
    const fontDict = /\/Font <<([\s\S]*?)>>/.exec(resourceDict)?.[1] ?? '';
    for (const f of fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)) fonts.set(f[1] ?? '', cmapOf(Number(f[2])));
    const contents = Number(/\/Contents (\d+) 0 R/.exec(dict)?.[1]);
    const ops = objects.get(contents)?.stream ?? '';
    let cmap = new Map<number, string>();
    let text = '';
    for (const op of ops.matchAll(/\/(\w+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1]) {
        cmap = fonts.get(op[1]) ?? new Map();
        continue;
      }
      for (const hex of (op[2] ?? '').matchAll(/<([0-9a-f]*)>/gi)) {
        for (const gid of (hex[1] ?? '').match(/.{4}/g) ?? []) {
          const id = Number.parseInt(gid, 16);
          glyphIds.push(id);
          text += cmap.get(id) ?? '\uFFFD';
        }
      }
      text += ' ';
    }
    pages.push(text);
  }
  /** An entry of the document information dictionary, a literal string in UTF-16BE when not ASCII. */
  const info = (key: string) => {
    const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(raw)?.[1];
    const literal = /^\(([\s\S]*)\)\s*$/.exec(objects.get(Number(ref))?.dict ?? '')?.[1];
    if (literal === undefined) return undefined;
    const bytes = Buffer.from(
      literal.replace(/\\([0-7]{1,3}|[\s\S])/g, (_, c: string) =>
        /^[0-7]/.test(c) ? String.fromCharCode(Number.parseInt(c, 8)) : ({ n: '\n', r: '\r', t: '\t' }[c] ?? c),
      ),
      'latin1',
    );
    return bytes[0] === 0xfe && bytes[1] === 0xff
      ? bytes.subarray(2).swap16().toString('utf16le')
      : bytes.toString('latin1');
  };
  return { raw, pages, glyphIds, info };
}
