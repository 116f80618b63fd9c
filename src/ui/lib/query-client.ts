import { QueryClient } from '@tanstack/react-query';

/**
 * The one react-query client. Local resources (sample files, IndexedDB) do not go stale by
 * themselves: they are invalidated by the actions that change them.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: Infinity, gcTime: 10 * 60_000, retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});
