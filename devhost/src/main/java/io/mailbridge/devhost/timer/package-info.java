/** Timer triggers: NCRONTAB and TimeSpan schedules, the schedule monitor and the timer listener. Internal to the devhost. */
package io.mailbridge.devhost.timer;
