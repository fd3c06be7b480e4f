/**
 * The workspace's scenario files, kept parsed: found at start-up, re-read when they change on disk, and
 * re-parsed (debounced) as they are edited. The Problems panel and the Testing view both listen here, so a
 * file is parsed once per change, not once per consumer.
 */
import * as vscode from 'vscode';
import { fileExists, openDocument } from './files';
import { findScenarioFiles, isScenarioFile, SCENARIO_FILE_GLOB, parseScenarioText, readScenarioFile, type LoadedScenario, type ScenarioFileResult } from './scenarioLibrary';

const EDIT_DEBOUNCE_MS = 300;

export interface ScenarioFileChange {
  uri: vscode.Uri;
  /** Undefined when the file was deleted. */
  result?: ScenarioFileResult;
}

export class ScenarioFiles implements vscode.Disposable {
  private readonly results = new Map<string, { uri: vscode.Uri; result: ScenarioFileResult }>();
  private readonly pendingEdits = new Map<string, NodeJS.Timeout>();
  private readonly changes = new vscode.EventEmitter<ScenarioFileChange>();
  private readonly disposables: vscode.Disposable[] = [this.changes];
  readonly onDidChange = this.changes.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(SCENARIO_FILE_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.readFromDisk(uri)),
      watcher.onDidChange((uri) => this.readFromDisk(uri)),
      watcher.onDidDelete((uri) => this.forget(uri)),
      vscode.workspace.onDidOpenTextDocument((document) => this.parseDocument(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.parseDocumentSoon(document)),
      // Closing an editor drops its unsaved edits: the file on disk is the truth again.
      vscode.workspace.onDidCloseTextDocument((document) => isScenarioFile(document.uri) && this.readFromDisk(document.uri)),
    );
  }

  /** Finds and parses every scenario file of the workspace, and of the editors already open. */
  async scan(): Promise<void> {
    const files = await findScenarioFiles();
    await Promise.all(files.map((uri) => this.readFromDisk(uri)));
    for (const document of vscode.workspace.textDocuments) this.parseDocument(document);
  }

  all(): { uri: vscode.Uri; result: ScenarioFileResult }[] {
    return [...this.results.values()].sort((a, b) => a.uri.path.localeCompare(b.uri.path));
  }

  /** The files that parse, as scenarios a run can name. */
  scenarios(): LoadedScenario[] {
    return this.all().flatMap(({ uri, result }) => (result.ok ? [{ source: { kind: 'file', uri }, scenario: result.scenario, text: result.text }] : []));
  }

  dispose(): void {
    for (const timer of this.pendingEdits.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async readFromDisk(uri: vscode.Uri): Promise<void> {
    // An open editor's text (maybe unsaved) wins over the file on disk.
    if (openDocument(uri)) return;
    if (!this.isTracked(uri)) return;
    if (!(await fileExists(uri))) return this.forget(uri);
    this.update(uri, await readScenarioFile(uri));
  }

  private parseDocument(document: vscode.TextDocument): void {
    if (!isScenarioFile(document.uri) || !this.isTracked(document.uri)) return;
    this.update(document.uri, parseScenarioText(document.getText(), document.uri));
  }

  private parseDocumentSoon(document: vscode.TextDocument): void {
    if (!isScenarioFile(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.pendingEdits.get(key));
    this.pendingEdits.set(key, setTimeout(() => {
      this.pendingEdits.delete(key);
      this.parseDocument(document);
    }, EDIT_DEBOUNCE_MS));
  }

  private forget(uri: vscode.Uri): void {
    if (!this.results.delete(uri.toString())) return;
    this.changes.fire({ uri });
  }

  private update(uri: vscode.Uri, result: ScenarioFileResult): void {
    const previous = this.results.get(uri.toString())?.result;
    if (previous && previous.text === result.text && previous.ok === result.ok) return;
    this.results.set(uri.toString(), { uri, result });
    this.changes.fire({ uri, result });
  }

  /** Files on disk: untitled and virtual documents are not scenarios a run or a test can name. */
  private isTracked(uri: vscode.Uri): boolean {
    return uri.scheme === 'file';
  }
}
