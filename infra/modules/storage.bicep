// The stamp's storage account: the app's tables and queues, the Functions host's own state and the
// Flex Consumption deployment container. Only Entra identities get in: no account keys at all.

param location string
param tags object
param accountName string

// io.mailbridge.storage.StorageNames.TABLES, kept in step by DeploymentSettingsTest.
var tableNames = [
  'connections'
  'signinstates'
  'accounts'
  'prospects'
  'tokencaches'
  'deadletters'
  'subscriptions'
  'bccaddresses'
  'audit'
  'deliveries'
  'syncstates'
  'outbox'
  'sendingquotas'
  'reconciliations'
  'usedlinks'
  'usedsignatures'
  'timerruns'
]

// io.mailbridge.storage.StorageNames.QUEUES, each with the '<queue>-poison' queue the Functions host
// moves a message to after host.json's maxDequeueCount. In Azure the deployment creates them (the
// app creates its own only on Azurite); DeploymentSettingsTest keeps this list in step with the code.
var queueNames = [
  'crm-events'
  'crm-events-poison'
  'mail-changes'
  'mail-changes-poison'
  'subscription-events'
  'subscription-events-poison'
  'outbound-mail'
  'outbound-mail-poison'
  'sent-reconciliation'
  'sent-reconciliation-poison'
]

// Flex Consumption runs the package it finds in this container (functionAppConfig.deployment.storage).
var deploymentContainerName = 'app-package'

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    // Zone-redundant: connection state and queued mail survive the loss of one availability zone.
    name: 'Standard_ZRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    // Every client (host, app, deployment) uses its Entra identity; keys could leak, identities are scoped.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// io.mailbridge.storage.StorageNames.PAYLOADS_CONTAINER: mail bodies and events too large for a queue message.
resource payloadsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: 'payloads'
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

output accountName string = account.name
output deploymentContainerName string = deploymentContainer.name
