/** The data of our own condensed renderings: one source per kernel function, one variant per change. */

export interface SnippetVariant {
  /**
   * The first kernel version (an id of `KERNEL_VERSIONS`) this rendering holds for. A version uses the
   * variant of the nearest version on its base chain, itself included.
   */
  since: string;
  /** The commits (short id and title, or the proposal) that make this variant differ from the previous one. */
  commits: readonly string[];
  /**
   * C-like text we wrote from the reference's step lists, never kernel source. A line that a model step
   * stands for carries `step: <step id>` in a comment (several may share a line); a named point that no
   * step has carries `point: <name>`. Each says which lock is held, in brackets.
   */
  body: string;
}

export interface SnippetSource {
  fn: string;
  /** The file the real function lives in, relative to the kernel tree. */
  file: string;
  /** Where the reference describes it (shared/reference/kernel-swapin.md). */
  reference: string;
  variants: readonly SnippetVariant[];
}
