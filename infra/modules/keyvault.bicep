// The stamp's Key Vault: holds the app's secrets (token encryption key ring, Entra client secret,
// CRM signing secret, SMTP credentials). Operators set their values (infra/README.md); no secret
// value is ever in these files. Access is Azure RBAC only: the app's identity gets Key Vault
// Secrets User in functionapp.bicep.

param location string
param tags object
param name string
@description('Log Analytics workspace that receives the vault\'s audit log (every secret read, by whom) and metrics.')
param logAnalyticsWorkspaceId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    // A deleted vault or secret stays recoverable for 90 days, and nobody can purge it early:
    // losing the token key ring would force every user to reconnect.
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// AuditEvent in the AZKVAuditLogs table: who read which secret when, so a token key read by anything
// but the app's identity stands out.
resource vaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output name string = vault.name
