a0042example
f i BC-Deportation-Flash   12-05 0087
^BC-Deportation Flash,80<
^Court halts deportation of 40 workers<
^By SAM SAMPLE=
^Sample Press Writer=
	   SAMPLE CITY (SP) _ A court on Saturday halted the deportation of 40 harbour workers hours before their flight.
 
	   The workers' union said it would ask for a full hearing.

	   SP-WF-12-05-26 1805GMT<
