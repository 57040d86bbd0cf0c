// The stamp's storage account: the app's tables and queues, the Functions host's own state and the
// Flex Consumption deployment container. Only Entra identities get in: no account keys at all.

param location string
param tags object
param accountName string
@description('Log Analytics workspace that receives the account\'s and its services\' logs and metrics.')
param logAnalyticsWorkspaceId string
@description('Days a deleted or overwritten blob stays recoverable, and how long old versions are kept.')
@minValue(7)
@maxValue(365)
param blobRecoveryDays int = 30
@description('Days each table export stays immutable after it is written (container-level time-based retention policy).')
@minValue(1)
@maxValue(365)
param tableExportImmutableDays int = 14
@description('Days after which a table export is deleted (at least one day past its immutability).')
@minValue(2)
@maxValue(3650)
param tableExportRetentionDays int = 35

// io.mailbridge.storage.StorageNames.TABLES, kept in step by DeploymentSettingsTest.
var tableNames = [
  'connections'
  'signinstates'
  'accounts'
  'prospects'
  'tokencaches'
  'deadletters'
  'subscriptions'
  'subscriptionindex'
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
  'subscription-renewal'
  'subscription-renewal-poison'
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

// Soft delete and versioning: a deleted or overwritten blob (a mail payload, the app package, an export)
// can be brought back within blobRecoveryDays; the lifecycle policy below removes older versions.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: blobRecoveryDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: blobRecoveryDays
    }
  }
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

// io.mailbridge.storage.StorageNames.TABLE_EXPORTS_CONTAINER: the daily copies of the connections and token-cache
// tables (io.mailbridge.backup.TableExport). Every blob in it is immutable for tableExportImmutableDays after it is
// written: neither a bad deployment nor a misused identity (the app's holds Blob Data Owner) can erase the last copies.
resource tableExportsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: 'table-exports'
  properties: {
    publicAccess: 'None'
  }
}

// Created unlocked (a template cannot lock it): infra/README.md says how to lock it once the period is settled.
resource tableExportsImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = {
  parent: tableExportsContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: tableExportImmutableDays
    allowProtectedAppendWrites: false
  }
}

// Versions and exports do not pile up: old versions go after blobRecoveryDays, exports after tableExportRetentionDays.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2024-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-old-versions'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
                'appendBlob'
              ]
            }
            actions: {
              version: {
                delete: {
                  daysAfterCreationGreaterThan: blobRecoveryDays
                }
              }
            }
          }
        }
        {
          name: 'delete-old-table-exports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${tableExportsContainer.name}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: max(tableExportRetentionDays, tableExportImmutableDays + 1)
                }
              }
            }
          }
        }
      ]
    }
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

// Who read, wrote or deleted what, per service, in the stamp's workspace (resource-specific tables
// StorageBlobLogs, StorageQueueLogs, StorageTableLogs); the account itself has metrics only.
resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: account
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    metrics: [
      {
        category: 'Transaction'
        enabled: true
      }
    ]
  }
}

var serviceLogs = [
  {
    categoryGroup: 'allLogs'
    enabled: true
  }
]
var serviceMetrics = [
  {
    category: 'Transaction'
    enabled: true
  }
]

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: serviceLogs
    metrics: serviceMetrics
  }
}

// Writes and deletes only: the host polls every queue every few seconds (host.json maxPollingInterval), and
// a log line per poll would cost more than it tells.
resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
    metrics: serviceMetrics
  }
}

resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: serviceLogs
    metrics: serviceMetrics
  }
}

output accountName string = account.name
output deploymentContainerName string = deploymentContainer.name
