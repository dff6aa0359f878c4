'use server'
import { revalidatePath } from 'next/cache'
import { requireUser } from '@/server/auth/session'
import { describeWait, requestTranslator } from '@/server/i18n/translate'
import { TodoLimitError, WriteRateError } from '@/server/limits'
import { IMPORT_MAX_BYTES, importErrorLines, ImportError, importSourceOf, importTodos } from '@/server/transfer'

export type ImportState = {
  imported?: { imported: number; skipped: number }
  /** What went wrong as a whole, and one line per named row. */
  error?: string
  rows?: string[]
}

/** The account page's import: the same importTodos as POST /api/import, the file from FormData. */
export async function importDataAction(_prev: ImportState, form: FormData): Promise<ImportState> {
  const viewer = await requireUser()
  const t = await requestTranslator()
  const file = form.get('file')
  if (!(file instanceof File) || file.size === 0) return { error: t('transfer.errors.noFile') }
  if (file.size > IMPORT_MAX_BYTES) return { error: t('transfer.errors.tooLarge') }
  try {
    const result = await importTodos(viewer, importSourceOf(await file.text(), file.type, file.name))
    revalidatePath('/todos')
    revalidatePath('/account')
    return { imported: result }
  } catch (error) {
    if (error instanceof ImportError) {
      const { summary, rows } = importErrorLines(error, t)
      return { error: summary, rows }
    }
    if (error instanceof TodoLimitError) return { error: t('transfer.errors.limit', { limit: error.limit }) }
    if (error instanceof WriteRateError) {
      return { error: t('transfer.errors.slowDown', { wait: describeWait(t, error.retryAfterSeconds) }) }
    }
    throw error
  }
}
