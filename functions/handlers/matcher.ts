// Placeholder so that the CDK app can bundle while the handler is being written; replaced by the real handler.
export const handler = async (): Promise<Record<string, never>> => ({});
