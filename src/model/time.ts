// Times as the panel shows them: "YYYY-MM-DD HH:MM:SS", UTC; '' for none.
export function formatTime(t: number | null | undefined): string {
  if (t === null || t === undefined || t <= 0) return '';
  return new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
