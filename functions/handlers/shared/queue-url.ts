/**
 * The URL of an SQS queue from its ARN (`arn:<partition>:sqs:<region>:<account>:<name>`), for calls on the
 * queue a record came from (ChangeMessageVisibility) without configuring its URL separately.
 */
const DNS_SUFFIX: Readonly<Record<string, string>> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

export function queueUrlFromArn(arn: string): string {
  const parts = arn.split(':');
  const [prefix, partition, service, region, account, name] = parts;
  const suffix = DNS_SUFFIX[partition ?? ''];
  if (
    parts.length !== 6 ||
    prefix !== 'arn' ||
    service !== 'sqs' ||
    !region ||
    !account ||
    !name ||
    !suffix
  ) {
    throw new Error(`"${arn}" is not an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue name>).`);
  }
  return `https://sqs.${region}.${suffix}/${account}/${name}`;
}
