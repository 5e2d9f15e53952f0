import { buildReport, type ReportData, type ReportInput } from '../report/build-report.js';
import { renderReportHtml } from '../report/html/render-report-html.js';
import { startProgress } from './progress.js';
import { writeFileAtomically } from '../node/write-file-atomically.js';

/**
 * Builds a report with a progress bar on stderr over the explanations (the
 * long part: about 33 network passes per MLP row) and, given `out`, writes the
 * HTML page atomically. Used by `churnkit report` and `churnkit tune`.
 */
export async function writeReport(input: Omit<ReportInput, 'importance'> & { explainRows: number; seed: number }, out: string | undefined): Promise<ReportData> {
  const { explainRows, seed, ...rest } = input;
  let progress: ReturnType<typeof startProgress> | undefined;
  const data = buildReport({
    ...rest,
    importance: {
      maxRows: explainRows,
      seed,
      onProgress: (explained, total) => {
        progress ??= startProgress('report (explaining rows)', total);
        progress.update(explained);
      },
    },
  });
  progress?.stop();
  if (out !== undefined) await writeFileAtomically(out, renderReportHtml(data));
  return data;
}
