// Telemetry for one stamp: a Log Analytics workspace and the workspace-based Application Insights
// component the function app reports to. Types and API versions as in Microsoft's Flex Consumption
// samples (Azure-Samples/azure-functions-flex-consumption-samples IaC/armtemplate/azuredeploy.json).

param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    retentionInDays: 30
    sku: {
      name: 'PerGB2018'
    }
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Ingestion only with an Entra token: the app's identity holds Monitoring Metrics Publisher, so
    // the connection string alone lets nobody send telemetry (quickstart function-app-flex-managed-identities).
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = applicationInsights.name
output logAnalyticsWorkspaceId string = logAnalytics.id
