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
} as const;
