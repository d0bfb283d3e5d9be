/**
 * Runs in every test file (jest `setupFilesAfterEnv`): source archives written while a file's
 * tests synthesize functions are removed when the file is done. (A synth process removes them on
 * exit; jest's workers do not reliably run exit handlers, and tests leave nothing in /tmp.)
 */
import { removeSourceArchives } from "../lib/function/zip";

afterAll(() => removeSourceArchives());
