import { createHash, type Hash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import { imageSize } from 'image-size';
import { ProblemError } from '../problem.js';
import { type CleanedImage, cleanJpeg, cleanPng, ImageStructureError, pdfActiveContent } from './image-clean.js';

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

/** Bytes collected before one write to the temporary file. */
const WRITE_BATCH_BYTES = 1 << 20;

/**
 * Hashes and counts what arrives, and writes it to an open file in batches of about 1 MiB (one
 * request to the thread pool per batch instead of one per 64 kB network chunk: each of those
 * wakes a thread and costs the event loop time during a burst). Finishes with an fsync.
 */
class HashingFileSink extends Writable {
  readonly hash: Hash = createHash('sha256');
  size = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly handle: fs.FileHandle,
    private readonly maxBytes: number,
  ) {
    super({ highWaterMark: WRITE_BATCH_BYTES });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    // Past the limit the upload is refused anyway: count it, do not store it.
    if (this.size <= this.maxBytes) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    if (this.pendingBytes < WRITE_BATCH_BYTES) callback();
    else this.flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    // On disk before anyone is told it is stored: a receipt must never point to a file a crash took.
    this.flush()
      .then(() => this.handle.sync())
      .then(() => callback(), callback);
  }

  private async flush(): Promise<void> {
    let buffers = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    while (buffers.length > 0) {
      const { bytesWritten } = await this.handle.writev(buffers);
      // A short write (rare on a regular file) continues with what is left.
      let skip = bytesWritten;
      while (buffers.length > 0 && skip >= (buffers[0] as Buffer).length) skip -= (buffers.shift() as Buffer).length;
      if (skip > 0 && buffers.length > 0) buffers = [(buffers[0] as Buffer).subarray(skip), ...buffers.slice(1)];
    }
  }
}

/** Temporary directories known to exist (created once per process, not once per upload). */
const madeTempDirs = new Set<string>();

async function openTemp(tempDir: string, tempFile: string): Promise<fs.FileHandle> {
  if (!madeTempDirs.has(tempDir)) {
    await fs.mkdir(tempDir, { recursive: true });
    madeTempDirs.add(tempDir);
  }
  try {
    return await fs.open(tempFile, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // The directory went away since (say, a data directory replaced under a running process).
    await fs.mkdir(tempDir, { recursive: true });
    return fs.open(tempFile, 'wx');
  }
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
  const tempFile = path.join(tempDir, `${randomUUID()}.upload`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await openTemp(tempDir, tempFile);
    const sink = new HashingFileSink(handle, maxBytes);
    await pipeline(stream, sink);
    await handle.close();
    handle = undefined;
    const { size, hash } = sink;
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
    let sha256 = hash.digest('hex');
    let storedSize = size;
    const bytes = await fs.readFile(tempFile);
    if (mediaType === 'application/pdf') {
      const active = pdfActiveContent(bytes);
      if (active) {
        throw new ProblemError(422, 'active_content', 'Active content not accepted', {
          detail: 'The PDF contains HTML, scripts or actions; export the scan as a plain PDF.',
          errors: [{ field: 'file', code: 'active_content', message: `contains ${active}` }],
        });
      }
    } else {
      let cleaned: CleanedImage;
      try {
        cleaned = mediaType === 'image/png' ? cleanPng(bytes) : cleanJpeg(bytes);
      } catch (error) {
        if (error instanceof ImageStructureError && error.code === 'trailing_data') {
          throw new ProblemError(422, 'trailing_data', 'Data after the end of the image', {
            detail: 'The file carries other data after the image (it may be two files in one).',
            errors: [{ field: 'file', code: 'trailing_data', message: error.message }],
          });
        }
        throw new ProblemError(415, 'unreadable_image', 'Unreadable image', {
          errors: [{ field: 'file', code: 'unreadable_image', message: 'The image cannot be read.' }],
        });
      }
      try {
        const dimensions = imageSize(cleaned.bytes);
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
      if (cleaned.bytes.length !== bytes.length) {
        // Metadata removed (location, camera, comments): what is stored and hashed is the cleaned image.
        const out = await fs.open(tempFile, 'w');
        try {
          await out.writeFile(cleaned.bytes);
          await out.sync();
        } finally {
          await out.close();
        }
        sha256 = createHash('sha256').update(cleaned.bytes).digest('hex');
        storedSize = cleaned.bytes.length;
      }
    }
    return { tempFile, sha256, size: storedSize, mediaType, width, height };
  } catch (error) {
    await handle?.close().catch(() => undefined);
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
