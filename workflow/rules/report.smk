# Stage: report (to be written).
