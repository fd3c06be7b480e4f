/** Command ids, as package.json contributes them (all in the "Swap Race" category). */
export const Commands = {
  runScenario: 'swaprace.runScenario',
  runAgain: 'swaprace.runAgain',
  stop: 'swaprace.stop',
  compareKernels: 'swaprace.compareKernels',
  openTrace: 'swaprace.openTrace',
  saveTrace: 'swaprace.saveTrace',
  replaySchedule: 'swaprace.replaySchedule',
  newScenario: 'swaprace.newScenario',
  showTimeline: 'swaprace.showTimeline',
  stepForward: 'swaprace.stepForward',
  stepBack: 'swaprace.stepBack',
  openAnnotatedSource: 'swaprace.openAnnotatedSource',
  /** CodeLens: pick one of the scenarios through a function and run it. */
  exploreFunction: 'swaprace.exploreFunction',
  /** CodeLens: select a step (by index) in the timeline commands act on. */
  selectStep: 'swaprace.selectStep',
  /** CodeLens in a comparison: show the counterexample of one version in the timeline. */
  showComparedCounterexample: 'swaprace.showComparedCounterexample',
} as const;
