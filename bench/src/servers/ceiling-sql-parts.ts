// Pieces of SQL shared by the one-statement ceiling's pages (ceiling-sql.ts): each renders a value exactly as the API's
// JSON answer shows it, so PostgreSQL can build the whole answer text.

/** An instant as JavaScript's toISOString writes it (UTC, milliseconds truncated as a JS Date holds them). */
export const iso = (x: string) => `to_char(${x} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Text as base64url without padding (what Buffer's 'base64url' writes): the API's opaque cursors. */
export const base64url = (text: string) => `rtrim(translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

/**
 * A float8 as JSON.stringify writes it: PostgreSQL's shortest text is the same digits, but it switches to an exponent
 * below 1e-4 (JavaScript below 1e-6) and pads the exponent to two digits.
 */
export const jsNumber = (x: string) => `case when ${x} = 0 or abs(${x}) >= 1e-4 then ${x}::text
    when abs(${x}) >= 1e-6 then (case when ${x} < 0 then '-' else '' end) || '0.' || repeat('0', -split_part(${x}::text, 'e', 2)::int - 1)
      || replace(ltrim(split_part(${x}::text, 'e', 1), '-'), '.', '')
    else regexp_replace(${x}::text, 'e-0', 'e-') end`;

/** A JSON string literal of a uuid or an ISO instant (neither holds a character JSON would escape). */
export const quoted = (x: string) => `'"' || ${x} || '"'`;

/** The viewer of the request: the live session of the token hash given as parameter `$n` (none when it is null). */
export const viewerCte = (n: number) =>
  `viewer as (select u.id, u.name from sessions s join users u on u.id = s.user_id where s.token_hash = $${n} and s.expires_at > now())`;

/** An empty JSON array when an aggregate found no rows. */
export const list = (agg: string) => `coalesce(${agg}, '[]'::json)`;

/** The API's NOT_FOUND answer for a missing (or hidden) root object, as the text of a response body. */
export const notFoundBody = (field: string, what: string) =>
  JSON.stringify({ data: { [field]: null }, errors: [{ message: `${what} not found.`, extensions: { code: 'NOT_FOUND' } }] }).replaceAll("'", "''");
