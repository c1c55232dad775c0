import { lazy, Suspense } from 'react';
import { Loading } from './components/Loading';
import { LoginPage } from './pages/LoginPage';
import { useSession } from './session';

/**
 * The login page while signed out, else the console. The console (its menu, pages, TanStack
 * Query, dayjs) is a chunk loaded on signing in (`Console.tsx`), so the login page loads only
 * React, antd's form and the API client.
 */
const Console = lazy(() => import('./Console'));

export function Root() {
  const { tokens } = useSession();
  return tokens ? (
    <Suspense fallback={<Loading />}>
      <Console />
    </Suspense>
  ) : (
    <LoginPage />
  );
}
