# Stage: verbs (to be written).
