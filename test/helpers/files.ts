import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';

/** A small valid PDF with some random bytes, so every one has its own SHA-256. */
export function pdfBytes(size = 2048): Buffer {
  const head = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%');
  const tail = Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  return Buffer.concat([
    head,
    randomBytes(Math.max(0, size - head.length - tail.length)).map((b) => 0x41 + (b % 26)),
    tail,
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A real grey PNG of the given size (photos must be 3:4). */
export function pngBytes(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const row = Buffer.alloc(width + 1, 0x80);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A multipart/form-data body with one file part named "file". */
export function multipart(fileName: string, content: Buffer, contentType = 'application/octet-stream') {
  const boundary = `----medadmit${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function jpegSegment(marker: number, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

/**
 * A structurally valid baseline JPEG stream of the given size (segments only; the scan data is
 * filler): SOI, JFIF, optional EXIF with a GPS note and a comment, quantisation and Huffman tables,
 * frame header, scan, EOI.
 */
export function jpegBytes(width: number, height: number, options: { metadata?: string } = {}): Buffer {
  const frame = Buffer.alloc(15);
  frame.writeUInt8(8, 0);
  frame.writeUInt16BE(height, 1);
  frame.writeUInt16BE(width, 3);
  frame.writeUInt8(3, 5);
  for (let c = 0; c < 3; c += 1) frame.set([c + 1, 0x11, 0], 6 + c * 3);
  const scanHeader = Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
  const data = randomBytes(512).map((b) => (b === 0xff ? 0x00 : b));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    ...(options.metadata
      ? [
          jpegSegment(0xe1, Buffer.from(`Exif\0\0GPS ${options.metadata}`, 'latin1')),
          jpegSegment(0xfe, Buffer.from(`comment ${options.metadata}`, 'latin1')),
        ]
      : []),
    jpegSegment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    jpegSegment(0xc0, frame),
    jpegSegment(0xc4, Buffer.concat([Buffer.from([0]), Buffer.alloc(16, 0), Buffer.alloc(0)])),
    jpegSegment(0xda, scanHeader),
    data,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A PNG with a text chunk carrying `metadata` (as cameras and editors write them). */
export function pngWithText(width: number, height: number, metadata: string): Buffer {
  const png = pngBytes(width, height);
  // Insert a tEXt chunk right after IHDR (8 signature + 25 IHDR bytes).
  return Buffer.concat([
    png.subarray(0, 33),
    chunk('tEXt', Buffer.from(`Comment\0${metadata}`, 'latin1')),
    png.subarray(33),
  ]);
}
