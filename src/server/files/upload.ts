import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import { imageSize } from 'image-size';
import { ProblemError } from '../problem.js';

export const ACCEPTED_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];
const MAX_PIXELS = 100_000_000;

export interface ReceivedFile {
  tempFile: string;
  sha256: string;
  size: number;
  mediaType: AcceptedType;
  width: number | null;
  height: number | null;
}

/**
 * Streams an upload to a temporary file while hashing and counting it, then decides its type by
 * its content (magic bytes), never by its name. Refusals: 413 too large, 415 not PDF/JPEG/PNG.
 */
export async function receiveFile(
  stream: NodeJS.ReadableStream & { truncated?: boolean },
  tempDir: string,
  maxBytes: number,
): Promise<ReceivedFile> {
  await fs.mkdir(tempDir, { recursive: true });
  const tempFile = path.join(tempDir, `${randomUUID()}.upload`);
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, createWriteStream(tempFile));
    // On disk before anyone is told it is stored: a receipt must never point to a file a crash took.
    const handle = await fs.open(tempFile, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (stream.truncated || size > maxBytes) {
      throw new ProblemError(413, 'file_too_large', 'File too large', {
        detail: `The file is larger than ${Math.round(maxBytes / 1_048_576)} MB.`,
        errors: [{ field: 'file', code: 'file_too_large', message: `at most ${maxBytes} bytes` }],
      });
    }
    if (size === 0) {
      throw new ProblemError(400, 'file_empty', 'Empty file', {
        errors: [{ field: 'file', code: 'file_empty', message: 'The file is empty.' }],
      });
    }
    const detected = await fileTypeFromFile(tempFile);
    const mediaType = ACCEPTED_TYPES.find((t) => t === detected?.mime);
    if (!mediaType) {
      throw new ProblemError(415, 'unsupported_file_type', 'Unsupported file type', {
        detail: 'Upload a PDF, JPEG or PNG file.',
        errors: [
          { field: 'file', code: 'unsupported_file_type', message: `content is ${detected?.mime ?? 'not recognized'}` },
        ],
      });
    }
    let width: number | null = null;
    let height: number | null = null;
    if (mediaType !== 'application/pdf') {
      try {
        const dimensions = imageSize(await fs.readFile(tempFile));
        width = dimensions.width ?? null;
        height = dimensions.height ?? null;
      } catch {
        throw new ProblemError(415, 'unreadable_image', 'Unreadable image', {
          errors: [{ field: 'file', code: 'unreadable_image', message: 'The image cannot be read.' }],
        });
      }
      if (!width || !height || width * height > MAX_PIXELS) {
        throw new ProblemError(422, 'image_dimensions', 'Image dimensions not accepted', {
          errors: [{ field: 'file', code: 'image_dimensions', message: `${width}×${height} pixels` }],
        });
      }
    }
    return { tempFile, sha256: hash.digest('hex'), size, mediaType, width, height };
  } catch (error) {
    await fs.rm(tempFile, { force: true });
    throw error;
  }
}

/** A file name safe to show and to put in Content-Disposition. */
export function safeFileName(name: string, mediaType: AcceptedType): string {
  const extension = mediaType === 'application/pdf' ? '.pdf' : mediaType === 'image/png' ? '.png' : '.jpg';
  const base = path
    .basename(name)
    .replace(/\.[^.]*$/, '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .slice(0, 100)
    .trim();
  return `${base || 'document'}${extension}`;
}
