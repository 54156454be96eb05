import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * pdfmake for every PDF the server renders (enrollment orders, transcripts): Roboto embedded for
 * Cyrillic, no disk or network access for documents.
 */

/** The part of pdfmake's server API used here (the package ships no types). */
export interface PdfMake {
  virtualfs: { existsSync(name: string): boolean; writeFileSync(name: string, content: Buffer): void };
  urlAccessPolicy: unknown;
  localAccessPolicy: unknown;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  addFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  createPdf(doc: Record<string, unknown>): { getBuffer(): Promise<Buffer> };
}

export const FONT = 'MedAdmitRoboto';
const FONT_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

let pdfmakeInstance: PdfMake | undefined;

/**
 * pdfmake is a process-wide singleton: the fonts go into its virtual file system under names of our
 * own, so the document needs no access to the disk or the network, and both are denied unless some
 * other code has already set its own policy.
 */
export function pdfmake(): PdfMake {
  if (pdfmakeInstance) return pdfmakeInstance;
  const require = createRequire(import.meta.url);
  const instance = require('pdfmake') as PdfMake;
  const fonts = {} as Record<keyof typeof FONT_FILES, string>;
  for (const [style, file] of Object.entries(FONT_FILES) as [keyof typeof FONT_FILES, string][]) {
    const name = `medadmit-fonts/${file}`;
    if (!instance.virtualfs.existsSync(name)) {
      instance.virtualfs.writeFileSync(name, readFileSync(require.resolve(`pdfmake/fonts/Roboto/${file}`)));
    }
    fonts[style] = name;
  }
  instance.addFonts({ [FONT]: fonts });
  if (instance.urlAccessPolicy === undefined) instance.setUrlAccessPolicy(() => false);
  if (instance.localAccessPolicy === undefined) instance.setLocalAccessPolicy(() => false);
  pdfmakeInstance = instance;
  return instance;
}

export const thinGrid = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#555555',
  vLineColor: () => '#555555',
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 2,
  paddingBottom: () => 2,
};
