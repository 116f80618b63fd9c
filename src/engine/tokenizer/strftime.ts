/**
 * Python's `datetime.strftime` in the C locale (English names), for the `strftime_now` that transformers gives
 * chat templates (SmolLM3's and Llama 3.1's print today's date with it). @huggingface/jinja has its own, but it
 * names months in the runtime's locale and knows fewer directives. Directives not listed are kept as written.
 */

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function pad(n: number, width: number, fill = '0'): string {
  return String(n).padStart(width, fill);
}

function dayOfYear(date: Date): number {
  const start = new Date(date.getFullYear(), 0, 1);
  const utc = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return (utc(date) - utc(start)) / 86_400_000 + 1;
}

/** Formats a local time as Python's strftime does with the C locale. */
export function strftime(date: Date, format: string): string {
  return format.replace(/%./g, (directive) => {
    const hours = date.getHours();
    switch (directive[1]) {
      case 'a':
        return DAYS[date.getDay()]!.slice(0, 3);
      case 'A':
        return DAYS[date.getDay()]!;
      case 'b':
        return MONTHS[date.getMonth()]!.slice(0, 3);
      case 'B':
        return MONTHS[date.getMonth()]!;
      case 'd':
        return pad(date.getDate(), 2);
      case 'e':
        return pad(date.getDate(), 2, ' ');
      case 'H':
        return pad(hours, 2);
      case 'I':
        return pad(hours % 12 === 0 ? 12 : hours % 12, 2);
      case 'j':
        return pad(dayOfYear(date), 3);
      case 'm':
        return pad(date.getMonth() + 1, 2);
      case 'M':
        return pad(date.getMinutes(), 2);
      case 'p':
        return hours < 12 ? 'AM' : 'PM';
      case 'S':
        return pad(date.getSeconds(), 2);
      case 'y':
        return pad(date.getFullYear() % 100, 2);
      case 'Y':
        return String(date.getFullYear());
      case '%':
        return '%';
      default:
        return directive;
    }
  });
}
