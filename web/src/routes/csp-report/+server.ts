import type { RequestHandler } from './$types';

/** Reports larger than this are cut before logging. */
const MAX_REPORT_BYTES = 4096;

/**
 * Where browsers report what the pages' Content-Security-Policy blocked (`report-uri /csp-report` in
 * svelte.config.js; docs/ARCHITECTURE.md, web security): one warning line per report, cut to 4 KB,
 * for whoever watches the logs to see an attack (or a page of ours that breaks the policy). Always 204.
 */
export const POST: RequestHandler = async ({ request }) => {
	const type = request.headers.get('content-type') ?? '';
	if (/^application\/(csp-report|reports\+json|json)\b/i.test(type)) {
		const body = (await request.text()).slice(0, MAX_REPORT_BYTES);
		console.warn(`[csp] ${body.replace(/[\r\n]+/g, ' ')}`);
	}
	return new Response(null, { status: 204 });
};
