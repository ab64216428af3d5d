/**
 * One chart with its text alternatives: a title, a one-line summary read by screen readers (and shown
 * to everyone), and, when the panel's table toggle is on, the same numbers as a table.
 */
import { useId, type ReactNode } from "react";

export interface TableSpec {
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

export function ChartFigure({
  title,
  summary,
  tables,
  table,
  controls,
  empty,
  children,
}: {
  title: string;
  summary: string;
  tables: boolean;
  table: TableSpec;
  /** Options of the picture (its scale, say), shown with the chart. */
  controls?: ReactNode;
  /** Why there is nothing to draw; said in place of an empty chart frame. */
  empty?: string | null;
  children: ReactNode;
}) {
  const captionId = useId();
  return (
    <figure className="chart-card" aria-label={title} aria-describedby={captionId}>
      <h3>{title}</h3>
      <figcaption id={captionId} className="muted small">{summary}</figcaption>
      {tables ? (
        <div className="chart-table">
          <table aria-label={`${title} (table)`}>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col">{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((v, j) => (
                    <td key={j}>{v === null ? "—" : v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : empty ? (
        <p className="chart-empty muted" role="note" aria-label={`${title}: nothing to draw`}>{empty}</p>
      ) : (
        <>
          {controls}
          <div className="chart-box" aria-hidden>
            {children}
          </div>
        </>
      )}
    </figure>
  );
}
