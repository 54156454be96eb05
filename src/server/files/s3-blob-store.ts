import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3Config } from '../../config.js';
import { BLOB_KEY_PATTERN, type BlobStore, contentKey, sealedKey } from './blob-store.js';

/** The error a missing object gives, shaped like the local store's (`code: 'ENOENT'`). */
function notFound(key: string, cause?: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`stored file ${key} does not exist`, { cause }), { code: 'ENOENT' });
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)
  );
}

interface Digests {
  md5Hex: string;
  sha256Hex: string;
}

function digests(content: Buffer): Digests {
  return {
    md5Hex: createHash('md5').update(content).digest('hex'),
    sha256Hex: createHash('sha256').update(content).digest('hex'),
  };
}

/**
 * Files in an S3-compatible bucket under the same keys as the local store (`sha256/ab/cd/<sha256>`,
 * `enc/ab/cd/<uuid hex>`). Uploads in progress stay in a local directory (`tempDir`); a file is sent
 * with one PutObject (single requests take up to 5 GB, far above UPLOAD_MAX_BYTES, so no multipart),
 * from memory so the SDK can retry it. S3 answers a PutObject only once the object is stored durably;
 * the store then reads the object's metadata back (HeadObject) and compares size and SHA-256 checksum
 * (or the MD5 ETag where the server keeps no checksum, as s3rver and some S3-compatible servers do)
 * before the caller writes the row that points to it.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    config: S3Config,
    readonly tempDir: string,
  ) {
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
      // The store sends its own SHA-256 and MD5; the SDK's default CRC trailers (aws-chunked bodies)
      // are not understood by every S3-compatible server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Fails fast at start-up when the bucket is missing or the credentials are refused. */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = error instanceof S3ServiceException ? ` (HTTP ${error.$metadata.httpStatusCode})` : '';
      throw new Error(`S3 bucket "${this.bucket}" is not reachable${status}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private checkKey(key: string): string {
    if (!BLOB_KEY_PATTERN.test(key)) throw new Error(`invalid blob key ${key}`);
    return key;
  }

  /** Stores `content` at `key` and proves it is there: same size, same SHA-256 (or MD5). */
  private async store(key: string, content: Buffer, expected: Digests): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: content,
        ContentLength: content.length,
        ContentType: 'application/octet-stream',
        // The server refuses the request when the bytes it received differ (AWS checks both).
        ContentMD5: Buffer.from(expected.md5Hex, 'hex').toString('base64'),
        ChecksumSHA256: Buffer.from(expected.sha256Hex, 'hex').toString('base64'),
      }),
    );
    const head = await this.client.send(
      new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }),
    );
    const etag = head.ETag?.replaceAll('"', '') ?? '';
    const checksum = head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-') ? head.ChecksumSHA256 : undefined;
    const problem =
      head.ContentLength !== content.length
        ? `size ${head.ContentLength} ≠ ${content.length}`
        : checksum
          ? checksum !== Buffer.from(expected.sha256Hex, 'hex').toString('base64') && 'SHA-256 checksum differs'
          : /^[0-9a-f]{32}$/.test(etag) && etag !== expected.md5Hex && `ETag ${etag} ≠ MD5 ${expected.md5Hex}`;
    if (problem) {
      // A wrong object under a content-addressed key would be taken for the right one later.
      await this.remove(key).catch(() => undefined);
      throw new Error(`stored object ${key} does not match what was sent: ${problem}`);
    }
  }

  async put(tempFile: string, sha256: string): Promise<string> {
    const key = contentKey(sha256);
    if (!(await this.exists(key))) {
      const content = await fs.readFile(tempFile);
      const found = digests(content);
      if (found.sha256Hex !== sha256) throw new Error(`temporary file ${tempFile} does not match its hash`);
      await this.store(key, content, found);
    }
    await fs.rm(tempFile, { force: true });
    return key;
  }

  async putSealed(content: Buffer): Promise<string> {
    const key = sealedKey(randomUUID().replace(/-/g, ''));
    await this.store(key, content, digests(content));
    return key;
  }

  async putAt(key: string, file: string): Promise<void> {
    const content = await fs.readFile(file);
    await this.store(this.checkKey(key), content, digests(content));
  }

  async read(key: string): Promise<Buffer> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.checkKey(key) }));
      if (!object.Body) throw notFound(key);
      return Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      throw isNotFound(error) ? notFound(key, error) : error;
    }
  }

  open(key: string): Readable {
    const out = new PassThrough();
    this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.checkKey(key) }))
      .then((object) => {
        const body = object.Body as Readable | undefined;
        if (!body) throw notFound(key);
        body.on('error', (error) => out.destroy(error));
        out.on('close', () => body.destroy());
        body.pipe(out);
      })
      .catch((error: unknown) => out.destroy(isNotFound(error) ? notFound(key, error) : (error as Error)));
    return out;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.checkKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    // S3 answers a delete of a missing key with success, as the local store does.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.checkKey(key) }));
  }

  async *list(): AsyncIterable<string> {
    for (const prefix of ['enc/', 'sha256/']) {
      let token: string | undefined;
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key && BLOB_KEY_PATTERN.test(object.Key)) yield object.Key;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
  }

  close(): void {
    this.client.destroy();
  }
}
