/**
 * Source mapping, the core half: our annotated snippets per function and kernel version, and the
 * locator of the same anchors in a real kernel tree. Lines are 0-based throughout.
 */
export { findFunctionDefinitions, findFunctionEnd } from './findFunctions';
export type { FunctionDefinition } from './findFunctions';
export {
  KERNEL_SOURCE_FILES, defaultKernelFor, isFound, isKernelTree, kernelVersionFromMakefile, locateAnchors, locateFunctions,
  locateTree,
} from './locate';
export type { KernelFiles, KernelRelease, Located, MissingAnchor, SourceLocation, TreeAnchors } from './locate';
export { anchorLine, snippetFor, snippetFunctions, snippetsFor } from './snippets';
export type { Snippet } from './snippets';
export { modelSteps } from './steps';
export type { StepAnchor } from './steps';
export { scenariosThrough, stepsByLine } from './lenses';
export type { StepAtLine } from './lenses';
