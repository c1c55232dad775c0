import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useState } from 'react';
import { ApiFailure } from './api/client';
import { SignedIn } from './App';

/** A query cache per session: nothing cached of one session is shown in the next (signing out unmounts it). */
function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // An answer the API refused (4xx) is not asked again; a lost connection is, twice.
      queries: { staleTime: 5_000, retry: (count, err) => !(err instanceof ApiFailure && err.body.status < 500) && count < 2 },
    },
  });
}

/**
 * The signed-in console, loaded lazily by Root.tsx once there is a session: antd's App (the
 * message, modal and notification the pages call through App.useApp) and TanStack Query are
 * here, not on the login page.
 */
export default function Console() {
  const [queries] = useState(newQueryClient);
  // Dates as the pages write them (format.ts) and antd's date pickers: dayjs in Chinese.
  useState(() => dayjs.locale('zh-cn'));
  return (
    <AntApp>
      <QueryClientProvider client={queries}>
        <SignedIn />
      </QueryClientProvider>
    </AntApp>
  );
}
