# Stage: compare (to be written).
