import { useStudio } from '../state/store.ts';

/** App-level messages (project import failed, saved project unreadable), dismissible. */
export function NoticeBar() {
  const notice = useStudio((s) => s.notice);
  const notify = useStudio((s) => s.notify);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.message}</span>
      <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => notify(null)}>
        ×
      </button>
    </div>
  );
}
