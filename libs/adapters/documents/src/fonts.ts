import { UnavailableError } from '@reform/config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where Debian's texlive-lang-chinese installs the Fandol faces (free, covering GB2312):
 * FandolFang (仿宋) for body text, FandolSong and FandolHei for the office name and title.
 * REFORM_FONT_DIR overrides it (config).
 */
export const DEFAULT_FONT_DIR = '/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol';

/** The faces the PDF embeds (as subsets). */
export const PDF_FONTS = {
  body: 'FandolFang-Regular.otf',
  title: 'FandolSong-Bold.otf',
  mark: 'FandolSong-Bold.otf',
  number: 'FandolSong-Regular.otf',
} as const;

/** The path of a font file, or a Chinese error naming the package to install. */
export function fontFile(dir: string, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) {
    throw new UnavailableError(
      `找不到字体文件 ${file}(字体目录 ${dir}),无法生成 PDF 公文:请安装 Debian 软件包 texlive-lang-chinese(apt-get install texlive-lang-chinese),或用环境变量 REFORM_FONT_DIR 指向存放 Fandol 字体的目录`,
    );
  }
  return path;
}

/**
 * The faces the .docx names: the face GB/T 9704 offices use first (the recipient's Word or WPS
 * has it), with the alternative Word tries when it is missing (fontTable's altName).
 */
export const DOCX_FONTS = {
  body: { name: '仿宋_GB2312', alt: '仿宋', fallbacks: ['仿宋', 'FandolFang'] },
  title: { name: '方正小标宋简体', alt: '宋体', fallbacks: ['宋体', 'FandolSong'] },
  number: { name: '仿宋_GB2312', alt: '仿宋', fallbacks: ['仿宋', 'FandolFang'] },
} as const;
