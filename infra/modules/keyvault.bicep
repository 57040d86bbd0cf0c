// The stamp's Key Vault: holds the app's secrets (token encryption key ring, Entra client secret,
// CRM signing secret, SMTP credentials). Operators set their values (infra/README.md); no secret
// value is ever in these files. Access is Azure RBAC only: the app's identity gets Key Vault
// Secrets User in functionapp.bicep.

param location string
param tags object
param name string

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

output name string = vault.name
