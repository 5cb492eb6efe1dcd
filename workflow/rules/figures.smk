# Stage: figures (to be written).
