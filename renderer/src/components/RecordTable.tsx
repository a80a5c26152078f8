import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../dates'

/** What every list of registrations shows; the receipt number is what staff read out and look for. */
export interface RecordRow {
  id: string
  receiptNo: string
  fullName: string
  createdAt: string
}

export interface RecordColumn<R> {
  heading: string
  cell: (row: R) => ReactNode
}

/** The name and the time registered, the columns most lists of registrations have, in the UI language. */
export function useRecordColumns<R extends RecordRow>(): { name: RecordColumn<R>; createdAt: RecordColumn<R> } {
  const { t, i18n } = useTranslation()
  return {
    name: { heading: t('search.name'), cell: (row) => row.fullName },
    createdAt: { heading: t('search.createdAt'), cell: (row) => formatDateTime(row.createdAt, i18n.language) },
  }
}

/**
 * Registrations as a table: the receipt number heads each row (so a screen reader names the row by it), then the
 * screen's columns, then its buttons for the row under a heading only assistive technology reads.
 */
export function RecordTable<R extends RecordRow>(props: {
  rows: readonly R[]
  columns: ReadonlyArray<RecordColumn<R>>
  actionsHeading: string
  actions: (row: R) => ReactNode
}) {
  const { t } = useTranslation()
  return (
    <table className="results-table">
      <thead>
        <tr>
          <th scope="col">{t('search.receiptNo')}</th>
          {props.columns.map((column) => (
            <th key={column.heading} scope="col">
              {column.heading}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">{props.actionsHeading}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.id}>
            <th scope="row" className="mono">
              {row.receiptNo}
            </th>
            {props.columns.map((column) => (
              <td key={column.heading}>{column.cell(row)}</td>
            ))}
            <td>{props.actions(row)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
