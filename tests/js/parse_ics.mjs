// Parse iCalendar text with Mozilla ical.js (Thunderbird's parser) and print what it saw as JSON.
//
// Usage: node parse_ics.mjs [--lenient] [--batch] < input
//   default : stdin is one iCalendar document; prints one result object
//   --batch : stdin is a JSON array of iCalendar documents; prints an array of result objects
//   --lenient: ICAL.design.strict = false (Thunderbird's setting); the default is strict mode
// A result is {"ok": true, "calendar": {...}, "events": [...]} or {"ok": false, "error": "..."}.
// The exit status is 0 when every document parsed, 1 otherwise.
import ICAL from "ical.js";

const args = new Set(process.argv.slice(2));
ICAL.design.strict = !args.has("--lenient");

function value(component, name) {
  const prop = component.getFirstProperty(name);
  if (!prop) return null;
  const v = prop.getFirstValue();
  return v === null || v === undefined ? null : v.toString();
}

function describe(text) {
  try {
    const jcal = ICAL.parse(text);
    if (!Array.isArray(jcal) || jcal[0] !== "vcalendar") {
      return { ok: false, error: "top-level component is not a single VCALENDAR" };
    }
    const cal = new ICAL.Component(jcal);
    const refresh = cal.getFirstProperty("refresh-interval");
    const events = cal.getAllSubcomponents("vevent").map((ev) => {
      const dtstart = ev.getFirstProperty("dtstart");
      const dtend = ev.getFirstProperty("dtend");
      const seq = ev.getFirstPropertyValue("sequence");
      return {
        uid: value(ev, "uid"),
        summary: value(ev, "summary"),
        description: value(ev, "description"),
        dtstart: dtstart ? dtstart.getFirstValue().toString() : null,
        dtstart_type: dtstart ? dtstart.type : null,
        dtend: dtend ? dtend.getFirstValue().toString() : null,
        dtend_type: dtend ? dtend.type : null,
        dtstamp: value(ev, "dtstamp"),
        status: value(ev, "status"),
        sequence: seq === null || seq === undefined ? null : Number(seq),
        categories: ev.getAllProperties("categories").flatMap((p) => p.getValues().map(String)),
        transp: value(ev, "transp"),
      };
    });
    return {
      ok: true,
      calendar: {
        name: value(cal, "x-wr-calname"),
        method: value(cal, "method"),
        refresh_interval: refresh ? refresh.getFirstValue().toString() : null,
        refresh_interval_type: refresh ? refresh.type : null,
        published_ttl: value(cal, "x-published-ttl"),
        components: cal.getAllSubcomponents().map((c) => c.name),
      },
      events,
    };
  } catch (err) {
    return { ok: false, error: `${err.name}: ${err.message}` };
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString("utf8");
const results = args.has("--batch") ? JSON.parse(input).map(describe) : [describe(input)];
process.stdout.write(JSON.stringify(args.has("--batch") ? results : results[0]));
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
