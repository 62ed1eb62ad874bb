import type { en } from './en.ts'; export const zhCN = {} as Record<keyof typeof en, string>;
