/**
 * Walks the structure of an uploaded JPEG or PNG without decoding pixels: refuses files that do not
 * follow the format or carry data after the image's end (polyglots: an image that is also a ZIP, an
 * HTML page or a script), and removes metadata (EXIF with GPS position and camera serials, XMP, IPTC,
 * comments, PNG text chunks). Colour profiles and the pixels are kept byte for byte.
 *
 * Trade-off: the EXIF orientation goes with the EXIF block, so a photo taken sideways shows sideways;
 * document photos (3×4) are taken upright.
 */

export class ImageStructureError extends Error {
  constructor(
    readonly code: 'unreadable_image' | 'trailing_data',
    message: string,
  ) {
    super(message);
  }
}

export interface CleanedImage {
  bytes: Buffer;
  /** What was removed, e.g. ['APP1', 'COM'] or ['tEXt', 'eXIf']. */
  removed: string[];
}

/** Trailing bytes some encoders pad with are tolerated: zeros or 0xFF only. */
function onlyPadding(bytes: Buffer, from: number): boolean {
  for (let i = from; i < bytes.length; i += 1) {
    const b = bytes[i];
    if (b !== 0x00 && b !== 0xff) return false;
  }
  return true;
}

/** JPEG markers whose segments are metadata: APP1 (EXIF, XMP), APP3…APP13 (IPTC at APP13), APP15, COM. */
function isMetadataMarker(marker: number): boolean {
  return marker === 0xe1 || (marker >= 0xe3 && marker <= 0xed) || marker === 0xef || marker === 0xfe;
}

export function cleanJpeg(bytes: Buffer): CleanedImage {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new ImageStructureError('unreadable_image', 'not a JPEG stream');
  }
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  const removed: string[] = [];
  let pos = 2;
  for (;;) {
    if (pos + 1 >= bytes.length) throw new ImageStructureError('unreadable_image', 'the JPEG stream ends without EOI');
    if (bytes[pos] !== 0xff) throw new ImageStructureError('unreadable_image', `no marker at byte ${pos}`);
    // Fill bytes before a marker.
    let markerPos = pos;
    while (bytes[markerPos + 1] === 0xff) markerPos += 1;
    const marker = bytes[markerPos + 1] as number;
    if (marker === 0xd9) {
      kept.push(bytes.subarray(pos, markerPos + 2));
      pos = markerPos + 2;
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      kept.push(bytes.subarray(pos, markerPos + 2));
      pos = markerPos + 2;
      continue;
    }
    if (markerPos + 3 >= bytes.length) throw new ImageStructureError('unreadable_image', 'truncated segment');
    const length = bytes.readUInt16BE(markerPos + 2);
    const end = markerPos + 2 + length;
    if (length < 2 || end > bytes.length)
      throw new ImageStructureError('unreadable_image', 'segment length out of range');
    if (isMetadataMarker(marker)) {
      removed.push(marker === 0xfe ? 'COM' : `APP${marker - 0xe0}`);
      pos = end;
      continue;
    }
    if (marker !== 0xda) {
      kept.push(bytes.subarray(pos, end));
      pos = end;
      continue;
    }
    // Start of scan: entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
    let scan = end;
    while (scan + 1 < bytes.length) {
      if (bytes[scan] === 0xff) {
        const next = bytes[scan + 1] as number;
        if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
      }
      scan += 1;
    }
    kept.push(bytes.subarray(pos, scan));
    pos = scan;
  }
  if (pos < bytes.length && !onlyPadding(bytes, pos)) {
    throw new ImageStructureError('trailing_data', `${bytes.length - pos} bytes after the end of the image`);
  }
  return { bytes: removed.length > 0 ? Buffer.concat(kept) : bytes.subarray(0, pos), removed };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Ancillary chunks that are metadata: text, EXIF, modification time. */
const PNG_METADATA = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

export function cleanPng(bytes: Buffer): CleanedImage {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new ImageStructureError('unreadable_image', 'not a PNG stream');
  }
  const kept: Buffer[] = [PNG_SIGNATURE];
  const removed: string[] = [];
  let pos = 8;
  let first = true;
  for (;;) {
    if (pos + 12 > bytes.length) throw new ImageStructureError('unreadable_image', 'the PNG stream ends without IEND');
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (!/^[A-Za-z]{4}$/.test(type) || end > bytes.length) {
      throw new ImageStructureError('unreadable_image', `damaged chunk at byte ${pos}`);
    }
    if (first && type !== 'IHDR') throw new ImageStructureError('unreadable_image', 'the first chunk is not IHDR');
    first = false;
    if (PNG_METADATA.has(type)) removed.push(type);
    else kept.push(bytes.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break;
  }
  if (pos < bytes.length && !onlyPadding(bytes, pos)) {
    throw new ImageStructureError('trailing_data', `${bytes.length - pos} bytes after the end of the image`);
  }
  return { bytes: removed.length > 0 ? Buffer.concat(kept) : bytes.subarray(0, pos), removed };
}

/** Markers of active content that has no place in a scanned document: HTML, scripts, PDF JavaScript and launch actions. */
const ACTIVE_PDF_MARKERS = [
  '<html',
  '<HTML',
  '<Html',
  '<script',
  '<SCRIPT',
  '<Script',
  '<!DOCTYPE',
  '<!doctype',
  '/JavaScript',
  '/Launch',
].map((marker) => Buffer.from(marker, 'latin1'));
/**
 * The first marker of active content found in a PDF, or null (native byte search: a few ms for 10 MB).
 * A JavaScript action always names its type (/S /JavaScript); markers are long enough that compressed
 * stream bytes practically never contain them by chance (a 2 MB stream: about 1 in 100,000 for the
 * five-byte ones).
 */
export function pdfActiveContent(bytes: Buffer): string | null {
  for (const marker of ACTIVE_PDF_MARKERS) if (bytes.includes(marker)) return marker.toString('latin1');
  return null;
}
