import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ClientSetup, createAwsClient } from './aws-clients.ts';

/** A DynamoDB document client (undefined attributes left out) over a client made by `createAwsClient`. */
export function createDocumentClient(setup: ClientSetup = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createAwsClient(DynamoDBClient, 'DYNAMODB', setup), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
