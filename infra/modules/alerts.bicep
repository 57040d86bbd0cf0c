// The stamp's alerts: log search alert rules over the Log Analytics workspace that Application Insights
// writes to (AppRequests: one row per function invocation, from the Functions host; AppMetrics: the app's
// OpenTelemetry metrics, named mailbridge.*). Each rule notifies the given action group and names the
// docs/runbook.md section that says what to check and what fixes it.
// Shapes: Microsoft.Insights/scheduledQueryRules 2023-12-01 type definitions.

param location string
param tags object
param stamp string
param logAnalyticsWorkspaceId string
@description('Resource id of the action group that pages the on-call engineer.')
param actionGroupId string
@description('Failed invocations, in percent of all invocations of one function in 15 minutes, that raise an alert.')
param failureRatePercent int
@description('Connections that must need reauthorization within one hour to count as a spike.')
param needsReauthPerHour int

// A gauge's data point arrives as Sum over ItemCount (1 for a gauge); the value is their ratio.
var gaugeValue = 'extend value = Sum / todouble(max_of(ItemCount, 1))'

var rules = [
  {
    name: 'poison-messages'
    displayName: 'Poison messages'
    description: 'A queue message failed maxDequeueCount times and sits in a <queue>-poison queue.'
    severity: 1
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'AppMetrics | where Name == "mailbridge.queue.poison" | ${gaugeValue} | extend queue = tostring(Properties["queue"]) | summarize poison = max(value) by queue'
    measure: 'poison'
    threshold: 0
    dimension: 'queue'
  }
  {
    name: 'dead-letters-growing'
    displayName: 'Dead letters growing'
    description: 'More CRM events are dead-lettered (not delivered after every retry) than an hour ago.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'AppMetrics | where Name == "mailbridge.deadletters.open" | ${gaugeValue} | summarize (firstTime, first) = arg_min(TimeGenerated, value), (lastTime, last) = arg_max(TimeGenerated, value) | extend growth = last - first'
    measure: 'growth'
    threshold: 0
    dimension: ''
  }
  {
    name: 'function-failure-rate'
    displayName: 'Function failure rate'
    description: 'More than ${failureRatePercent}% of one function\'s invocations failed in 15 minutes (at least 20 of them), or every invocation of a rarely running one (a timer such as tableExport).'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'AppRequests | summarize total = count(), failed = countif(Success == false) by functionName = Name | where total >= 20 or failed == total | extend failurePercent = 100.0 * failed / total'
    measure: 'failurePercent'
    threshold: failureRatePercent
    dimension: 'functionName'
  }
  {
    name: 'needs-reauth-spike'
    displayName: 'NEEDS_REAUTH spike'
    description: 'At least ${needsReauthPerHour} connections moved to NEEDS_REAUTH within an hour.'
    severity: 2
    frequency: 'PT15M'
    window: 'PT1H'
    query: 'AppMetrics | where Name == "mailbridge.connections.transitions" and tostring(Properties["to"]) == "NEEDS_REAUTH" | summarize reauth = sum(Sum)'
    measure: 'reauth'
    // GreaterThan below: one less, so that reaching the threshold alerts.
    threshold: needsReauthPerHour - 1
    dimension: ''
  }
  {
    // AppRequests, not the mailbridge.webhook.ack.duration histogram: Application Insights keeps a histogram
    // as sum, count, min and max only, so no percentile can be read back from it.
    name: 'webhook-p99'
    displayName: 'Graph webhook p99 over 1 s'
    description: 'The 99th percentile of Graph webhook acknowledgements took longer than 1 s in 15 minutes (Graph allows 3 s).'
    severity: 1
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'AppRequests | where Name == "graphWebhook" | summarize p99 = percentile(DurationMs, 99), n = count() | where n >= 10'
    measure: 'p99'
    threshold: 1000
    dimension: ''
  }
  {
    name: 'queue-oldest-message'
    displayName: 'Oldest queue message over 5 minutes'
    description: 'A message has waited in a work queue for more than 5 minutes: its consumer is stuck, failing or too slow.'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    query: 'AppMetrics | where Name == "mailbridge.queue.oldest.age" | ${gaugeValue} | extend queue = tostring(Properties["queue"]) | where not(queue endswith "-poison") | summarize ageSeconds = max(value) by queue'
    measure: 'ageSeconds'
    threshold: 300
    dimension: 'queue'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: 'alert-mailbridge-${stamp}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: '${rule.displayName} (${stamp})'
      description: '${rule.description} Runbook: docs/runbook.md#${rule.name}'
      severity: rule.severity
      enabled: true
      scopes: [
        logAnalyticsWorkspaceId
      ]
      evaluationFrequency: rule.frequency
      windowSize: rule.window
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Maximum'
            metricMeasureColumn: rule.measure
            operator: 'GreaterThan'
            threshold: rule.threshold
            dimensions: empty(rule.dimension) ? [] : [
              {
                name: rule.dimension
                operator: 'Include'
                values: [
                  '*'
                ]
              }
            ]
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      // On a new stamp no metric has arrived yet: validation would refuse a query over data that is still to come.
      skipQueryValidation: true
      actions: {
        actionGroups: [
          actionGroupId
        ]
        customProperties: {
          runbook: 'docs/runbook.md#${rule.name}'
        }
      }
    }
  }
]
