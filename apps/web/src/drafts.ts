import { session } from './session';

/**
 * Half-filled forms, kept in sessionStorage per user and form while they are typed: a session
 * that expires shows the login page and, signed in again, the form comes back as it was.
 */
const keyOf = (form: string) => `reform.draft.${session.get().username ?? '-'}.${form}`;

export function loadDraft<T extends object>(form: string): Partial<T> {
  try {
    return (JSON.parse(sessionStorage.getItem(keyOf(form)) ?? '{}') as Partial<T>) ?? {};
  } catch {
    return {};
  }
}

export function saveDraft(form: string, values: object): void {
  sessionStorage.setItem(keyOf(form), JSON.stringify(values));
}

export function clearDraft(form: string): void {
  sessionStorage.removeItem(keyOf(form));
}
