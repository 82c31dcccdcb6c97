import { handleTemplateRequest, type EndpointParams } from "@/lib/templates/endpoint";

/**
 * Published templates for the Mailman core. Deliberately outside the session guard: the core
 * authenticates with the per-target HTTP Basic credentials checked in lib/templates/endpoint.ts.
 */
export const dynamic = "force-dynamic";

type Context = { params: Promise<EndpointParams> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  return handleTemplateRequest(request, await params);
}

export async function HEAD(request: Request, { params }: Context): Promise<Response> {
  return handleTemplateRequest(request, await params);
}
