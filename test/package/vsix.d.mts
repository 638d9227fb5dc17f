// Types for vsix.mjs (used from TypeScript tests).
export declare const ROOT: string;
export interface MadeVsix { vsix: string; log: string }
export declare function makeVsix(): MadeVsix;
export interface ZipEntry { size: number; read(): Buffer }
export declare function readZip(file: string): Map<string, ZipEntry>;
