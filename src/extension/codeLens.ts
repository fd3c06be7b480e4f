/** A lens above each definition of a modelled kernel function, offering to explore scenarios. */
import * as vscode from 'vscode';
import { findFunctionDefinitions } from '../core/source/findFunctions';

export class ModelledFunctionLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return findFunctionDefinitions(document.getText()).map(
      ({ name, line }) =>
        new vscode.CodeLens(document.lineAt(line).range, {
          title: `Swap Race: explore scenarios through ${name}`,
          command: 'swaprace.runScenario',
        }),
    );
  }
}
