/** Data values: 0 is a zero-filled page, 255 is garbage (discarded or never-written data). No imports: the webview's explanations use them too. */
export const ZERO_DATA = 0;
export const GARBAGE = 255;
